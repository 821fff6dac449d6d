using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Kubernetes.Storage;

/// <summary>The resource kinds the server serves: built-in core kinds plus every established CRD.</summary>
internal sealed partial class ResourceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceType> _byGroupPlural = new(StringComparer.Ordinal);
    private readonly Func<JsonObject, string, IResourceSchema?> _schemaFactory;

    public ResourceRegistry(Func<JsonObject, string, IResourceSchema?> schemaFactory)
    {
        _schemaFactory = schemaFactory;
        foreach (var type in BuiltIns.All())
        {
            _byGroupPlural[$"{type.Group}/{type.Plural}"] = type;
        }
    }

    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _byGroupPlural.Values];
            }
        }
    }

    public (ResourceType Type, ResourceVersion Version)? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _byGroupPlural.TryGetValue($"{group}/{plural}", out var type) && type.Version(version) is { } v ? (type, v) : null;
        }
    }

    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        lock (_gate)
        {
            return _byGroupPlural.Values.FirstOrDefault(t => t.Group == group && t.Kind == kind);
        }
    }

    /// <summary>Groups with their versions in Kubernetes version-priority order (GA, then beta, then alpha).</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        lock (_gate)
        {
            return _byGroupPlural.Values.Where(t => t.Group.Length > 0)
                .GroupBy(t => t.Group)
                .OrderBy(g => g.Key.Contains(".k8s.io", StringComparison.Ordinal) ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)g.SelectMany(t => t.Versions.Select(v => v.Name)).Distinct()
                    .OrderBy(v => v, VersionPriority.Instance).ToList()))
                .ToList();
        }
    }

    public IReadOnlyList<(ResourceType Type, ResourceVersion Version)> InGroupVersion(string group, string version)
    {
        lock (_gate)
        {
            return _byGroupPlural.Values.Where(t => t.Group == group)
                .SelectMany(t => t.Versions.Where(v => v.Name == version).Select(v => (t, v)))
                .OrderBy(p => p.t.Plural, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Checks a CRD and returns the causes that make it invalid (empty when fine).</summary>
    public static IReadOnlyList<Api.Cause> ValidateCrd(JsonObject crd)
    {
        var causes = new List<Api.Cause>();
        var spec = crd["spec"] as JsonObject;
        var group = spec?["group"]?.GetValue<string>();
        var plural = spec?["names"]?["plural"]?.GetValue<string>();
        if (string.IsNullOrEmpty(group))
        {
            causes.Add(new("spec.group", "FieldValueRequired", "Required value"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            causes.Add(new("spec.names.plural", "FieldValueRequired", "Required value"));
        }

        if (string.IsNullOrEmpty(spec?["names"]?["kind"]?.GetValue<string>()))
        {
            causes.Add(new("spec.names.kind", "FieldValueRequired", "Required value"));
        }

        var name = crd["metadata"]?["name"]?.GetValue<string>();
        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            causes.Add(new("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        if (spec?["versions"] is not JsonArray versions || versions.Count == 0)
        {
            causes.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: null: must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => v?["storage"]?.GetValue<bool>() == true) != 1)
        {
            causes.Add(new("spec.versions", "FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version"));
        }

        return causes;
    }

    public ResourceType Register(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var type = new ResourceType
        {
            Group = spec["group"]!.GetValue<string>(),
            Plural = names["plural"]!.GetValue<string>(),
            Singular = names["singular"]?.GetValue<string>() ?? names["kind"]!.GetValue<string>().ToLowerInvariant(),
            Kind = names["kind"]!.GetValue<string>(),
            Namespaced = spec["scope"]?.GetValue<string>() != "Cluster",
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            IsCustom = true,
            Versions = ((JsonArray)spec["versions"]!).OfType<JsonObject>()
                .Where(v => v["served"]?.GetValue<bool>() != false)
                .Select(v => ParseVersion(crd, v)).ToList(),
        };
        lock (_gate)
        {
            _byGroupPlural[$"{type.Group}/{type.Plural}"] = type;
        }

        return type;
    }

    public void Unregister(string group, string plural)
    {
        lock (_gate)
        {
            _byGroupPlural.Remove($"{group}/{plural}");
        }
    }

    private ResourceVersion ParseVersion(JsonObject crd, JsonObject version)
    {
        var name = version["name"]!.GetValue<string>();
        var columns = (version["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new PrinterColumn(
            c["name"]!.GetValue<string>(),
            c["type"]?.GetValue<string>() ?? "string",
            c["format"]?.GetValue<string>() ?? "",
            c["description"]?.GetValue<string>() ?? "",
            (int)(Json.JsonNumbers.Long(c["priority"]) ?? 0),
            c["jsonPath"]!.GetValue<string>())).ToList();
        if (columns.Count == 0)
        {
            columns.Add(new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp"));
        }

        var selectable = (version["selectableFields"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(f => f["jsonPath"]!.GetValue<string>().TrimStart('.')).ToList();
        return new ResourceVersion(
            name,
            version["storage"]?.GetValue<bool>() == true,
            version["subresources"]?["status"] is not null,
            columns,
            version["schema"]?["openAPIV3Schema"] as JsonObject,
            _schemaFactory(crd, name),
            selectable);
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();

    /// <summary>Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > anything else.</summary>
    private sealed partial class VersionPriority : IComparer<string>
    {
        public static readonly VersionPriority Instance = new();

        public int Compare(string? x, string? y) => Rank(x!).CompareTo(Rank(y!)) is var c && c != 0 ? c : string.CompareOrdinal(x, y);

        private static (int Stage, int NegMajor, int NegMinor) Rank(string v)
        {
            var m = Pattern().Match(v);
            if (!m.Success)
            {
                return (3, 0, 0);
            }

            var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var stage = m.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 };
            var minor = m.Groups[3].Value.Length > 0 ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return (stage, -major, -minor);
        }

        [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")]
        private static partial Regex Pattern();
    }
}
