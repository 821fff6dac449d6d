using System.Globalization;
using System.Security;
using System.Text;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Small helpers for the query protocols: parameter lookup and escaped XML.</summary>
internal static class QueryXml
{
    public static string Esc(string? value) => SecurityElement.Escape(value ?? string.Empty);

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static StringBuilder Element(this StringBuilder sb, string name, string? value) =>
        value is null ? sb : sb.Append('<').Append(name).Append('>').Append(Esc(value)).Append("</").Append(name).Append('>');

    public static StringBuilder Element(this StringBuilder sb, string name, bool value) => sb.Element(name, value ? "true" : "false");

    public static StringBuilder Element(this StringBuilder sb, string name, int value) => sb.Element(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Collects <c>Prefix.1</c>, <c>Prefix.2</c>… (or <c>Prefix.member.1</c>…) in order; a bare empty <c>Prefix=</c> is an empty list.</summary>
    public static List<string> List(IReadOnlyDictionary<string, string> p, string prefix)
    {
        var result = new List<string>();
        for (var i = 1; p.TryGetValue($"{prefix}.{i}", out var v); i++)
        {
            result.Add(v);
        }

        return result;
    }
}
