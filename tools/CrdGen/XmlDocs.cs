using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EksOperator.CrdGen;

/// <summary>Reads the summaries of the compiler's XML documentation file; they become CRD descriptions.</summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static XmlDocs For(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"XML documentation for {assembly.GetName().Name} not found; enable GenerateDocumentationFile", path);
        }

        var summaries = XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Flatten(m.Element("summary")!), StringComparer.Ordinal);
        return new XmlDocs(summaries);
    }

    public string? Of(Type type) => _summaries.GetValueOrDefault("T:" + type.FullName);

    public string? Of(PropertyInfo property) =>
        _summaries.GetValueOrDefault($"P:{DocName(property.DeclaringType!)}.{property.Name}");

    // Members of a generic base (the CustomResource envelope) are documented on its definition: CustomResource`2.
    private static string? DocName(Type type) => (type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type).FullName;

    public string? Of(FieldInfo field) =>
        _summaries.GetValueOrDefault($"F:{field.DeclaringType!.FullName}.{field.Name}");

    private static string Flatten(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" } e => ShortName((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? ""),
            XElement e => e.Value,
            _ => "",
        }));
        return Whitespace().Replace(text, " ").Trim();
    }

    private static string ShortName(string cref) => cref[(cref.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
