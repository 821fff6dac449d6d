using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EksOperator.Aws.Eks;

namespace EksOperator.Aws.Mapping;

/// <summary>How an add-on's spec.version was chosen (status.resolvedFrom).</summary>
public static class AddonVersionRule
{
    public const string Default = "default";
    public const string Latest = "latest";
    public const string Pinned = "pinned";
}

/// <summary>Add-on versions, configuration values and their comparison with what EKS reports.</summary>
public static partial class AddonMapping
{
    /// <summary>Newest first: v1.19.2-eksbuild.1 after v1.19.10-eksbuild.1 compares by numbers, not text.</summary>
    public static IReadOnlyList<string> NewestFirst(IEnumerable<string> versions) =>
        [.. versions.Distinct(StringComparer.Ordinal).OrderByDescending(v => v, VersionComparer.Instance)];

    /// <summary>The versions compatible with <paramref name="minor"/>, and the one EKS marks as its default there.</summary>
    public static (IReadOnlyList<string> Compatible, string? Default) ForMinor(IEnumerable<EksAddonVersionInfo> versions, string minor)
    {
        var compatible = versions.Where(v => v.AddonVersion is not null && (v.Compatibilities ?? []).Any(c => c.ClusterVersion == minor)).ToList();
        var @default = compatible.FirstOrDefault(v => v.Compatibilities!.Any(c => c.ClusterVersion == minor && c.DefaultVersion == true))?.AddonVersion;
        return (NewestFirst(compatible.Select(v => v.AddonVersion!)), @default);
    }

    /// <summary>The configuration as sent: compact JSON (EKS keeps the string as given).</summary>
    public static string? ConfigurationJson(JsonObject? values) => values?.ToJsonString();

    /// <summary>
    /// Whether the configuration EKS reports differs from the wanted one, compared as JSON values (key order and
    /// spacing are not changes). Unset in the spec means EKS's defaults: a reported non-empty configuration differs.
    /// </summary>
    public static bool ConfigurationDiffers(JsonObject? wanted, string? observed)
    {
        var reported = Parse(observed);
        if (wanted is null) return reported is JsonObject { Count: > 0 } || (reported is null && !string.IsNullOrWhiteSpace(observed));
        return !JsonNode.DeepEquals(wanted, reported ?? new JsonObject());
    }

    private static JsonNode? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null; // YAML written by someone else: not comparable, so it differs
        }
    }

    private sealed partial class VersionComparer : IComparer<string>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var (a, b) = (Numbers(x), Numbers(y));
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
            {
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            }

            return a.Count != b.Count ? a.Count.CompareTo(b.Count) : string.CompareOrdinal(x, y);
        }

        private static List<long> Numbers(string? version) =>
            [.. Digits().Matches(version ?? "").Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture))];

        [GeneratedRegex("[0-9]{1,18}")]
        private static partial Regex Digits();
    }
}
