namespace EksOperator.CrdGen;

/// <summary>
/// Files the chart ships verbatim from elsewhere in the repository. They are written by the same run as the CRDs
/// (and checked by the same drift test) so that no copy is kept by hand; the chart cannot reference files outside
/// its own folder, hence a copy at all.
/// </summary>
internal static class ChartCopies
{
    /// <summary>(source, target) pairs, relative to the repository root.</summary>
    public static readonly (string Source, string Target)[] All =
    [
        // The Argo CD health check; config/argocd/argocd-cm.yaml embeds the same script (Packaging.Tests checks it).
        ("config/argocd/health.lua", "charts/eks-operator/argocd/health.lua"),
    ];

    /// <summary>Every copy as (target path relative to <paramref name="root"/>, text).</summary>
    public static IReadOnlyList<(string Target, string Text)> GenerateAll(string root) =>
        [.. All.Select(c => (c.Target, File.ReadAllText(Path.Combine(root, c.Source))))];
}
