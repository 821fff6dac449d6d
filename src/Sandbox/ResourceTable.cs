using System.Text.Json;
using EksOperator.Controllers.Kinds;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;
using Spectre.Console;

namespace EksOperator.Sandbox;

/// <summary>What the sandbox shows: every object of every registered kind with its AWS status and conditions.</summary>
internal sealed class ResourceTable(IKubernetes client)
{
    /// <summary>How much of a condition's reason and message a table cell or progress line shows.</summary>
    public const int ConditionWidth = 90;

    public sealed record Row(string Kind, string Name, string Aws, string Version, bool Ready, string Condition, string Namespace = "default");

    public async Task<IReadOnlyList<Row>> ReadAsync(CancellationToken ct)
    {
        var rows = new List<Row>();
        foreach (var kind in KindRegistry.All) rows.AddRange(await ListAsync(kind, ct));
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

    private async Task<IEnumerable<Row>> ListAsync(KindRegistration kind, CancellationToken ct)
    {
        var list = await client.CustomObjects.ListClusterCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, kind.Plural, cancellationToken: ct);
        var version = kind.SandboxColumns.FirstOrDefault(c => c.Header == "VERSION");
        var items = JsonSerializer.SerializeToElement(list).GetProperty("items");
        return items.EnumerateArray().Select(item =>
        {
            var obj = kind.FromJson(item.GetRawText());
            var conditions = obj.CommonStatus?.Conditions ?? [];
            var ready = conditions.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True");
            var interesting = conditions.FirstOrDefault(c => c.Type == ConditionTypes.Stalled && c.Status == "True")
                ?? conditions.FirstOrDefault(c => c.Type == ConditionTypes.Reconciling && c.Status == "True")
                ?? conditions.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
            var condition = interesting is null ? "" : $"{interesting.Type}: {interesting.Reason} {interesting.Message}".Trim();
            return new Row(obj.Kind, obj.Metadata.Name, obj.CommonStatus?.AwsStatus ?? "-", version?.Cell(obj) ?? "-", ready, condition,
                obj.Metadata.NamespaceProperty ?? "default");
        });
    }
}
