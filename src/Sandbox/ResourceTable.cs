using System.Text.Json;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;
using Spectre.Console;

namespace EksOperator.Sandbox;

/// <summary>What the sandbox shows: every EKS object with its AWS status and conditions.</summary>
internal sealed class ResourceTable(IKubernetes client)
{
    /// <summary>How much of a condition's reason and message a table cell or progress line shows.</summary>
    public const int ConditionWidth = 90;

    public sealed record Row(string Kind, string Name, string Aws, string Version, bool Ready, string Condition, string Namespace = "default");

    public async Task<IReadOnlyList<Row>> ReadAsync(CancellationToken ct)
    {
        var rows = new List<Row>();
        rows.AddRange(await ListAsync<EksCluster>(OperatorApi.Plurals.EksClusters, c => c.Status?.Version, ct));
        rows.AddRange(await ListAsync<ManagedNodeGroup>(OperatorApi.Plurals.ManagedNodeGroups, g => g.Status?.Version, ct));
        rows.AddRange(await ListAsync<FargateProfile>(OperatorApi.Plurals.FargateProfiles, _ => null, ct));
        return rows;
    }

    public static Table Render(IReadOnlyList<Row> rows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("KIND", "NAME", "AWS STATUS", "VERSION", "READY", "CONDITION");
        foreach (var row in rows)
        {
            table.AddRow(
                Markup.Escape(row.Kind), Markup.Escape(row.Name), Markup.Escape(row.Aws), Markup.Escape(row.Version),
                row.Ready ? "[green]True[/]" : "[yellow]False[/]", Markup.Escape(TextFit.Shorten(row.Condition, ConditionWidth)));
        }

        return table;
    }

    /// <summary>A progress line for logs and CI; the condition is shortened at a word boundary, never inside a word.</summary>
    public static string Line(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var name = row.Namespace == "default" ? row.Name : $"{row.Namespace}/{row.Name}";
        return $"{row.Kind}/{name}: aws={row.Aws} version={row.Version} ready={row.Ready} {TextFit.Shorten(row.Condition, ConditionWidth)}".TrimEnd();
    }

    private async Task<IEnumerable<Row>> ListAsync<T>(string plural, Func<T, string?> version, CancellationToken ct)
        where T : class, IEksResource
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, plural, cancellationToken: ct);
        var items = JsonSerializer.SerializeToElement(list).GetProperty("items");
        return items.EnumerateArray().Select(item =>
        {
            var obj = KubernetesJson.Deserialize<T>(item.GetRawText());
            var conditions = obj.CommonStatus.Conditions ?? [];
            var ready = conditions.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True");
            var interesting = conditions.FirstOrDefault(c => c.Type == ConditionTypes.Stalled && c.Status == "True")
                ?? conditions.FirstOrDefault(c => c.Type == ConditionTypes.Reconciling && c.Status == "True")
                ?? conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
            var condition = interesting is null ? "" : $"{interesting.Type}: {interesting.Reason} {interesting.Message}".Trim();
            return new Row(obj.Kind, obj.Metadata.Name, obj.CommonStatus.AwsStatus ?? "-", version(obj) ?? "-", ready, condition,
                obj.Metadata.NamespaceProperty ?? "default");
        });
    }
}
