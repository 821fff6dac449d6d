using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Storage;

/// <summary>One served version of a resource.</summary>
internal sealed record ResourceVersion(
    string Name,
    bool Storage,
    bool StatusSubresource,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    JsonObject? OpenApiSchema,
    IResourceSchema? Schema,
    IReadOnlyList<string> SelectableFields)
{
    /// <summary>A built-in table printer that replaces the Name column and <see cref="PrinterColumns"/> (Events).</summary>
    public TablePrinter? Printer { get; init; }
}

/// <summary>A CRD additionalPrinterColumn (or a built-in kind's default columns).</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);

/// <summary>A resource kind as the server knows it: names, scope, versions and how it is stored.</summary>
internal sealed class ResourceType
{
    public required string Group { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => $"{Kind}List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public required IReadOnlyList<ResourceVersion> Versions { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>Kinds that share storage (core/v1 and events.k8s.io/v1 Events) use the same key.</summary>
    public string StorageKey { get; init; } = "";

    /// <summary>Converts the stored form into this type's form and back (events.k8s.io/v1 view of core Events).</summary>
    public Func<JsonObject, JsonObject>? ToView { get; init; }

    public Func<JsonObject, JsonObject>? FromView { get; init; }

    /// <summary>Whether PUT may create a missing object and may omit resourceVersion (true for core kinds, false for CRs).</summary>
    public bool AllowCreateOnUpdate => !IsCustom;

    public string Key => StorageKey.Length > 0 ? StorageKey : $"{Group}/{Plural}";

    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public ResourceVersion? Version(string name) => Versions.FirstOrDefault(v => v.Name == name);

    public ResourceVersion StorageVersion => Versions.FirstOrDefault(v => v.Storage) ?? Versions[0];
}

/// <summary>Structural schema operations of one CRD version (implemented over the Admission package).</summary>
internal interface IResourceSchema
{
    void ApplyDefaults(JsonObject obj);

    IReadOnlyList<string> Prune(JsonObject obj);

    IReadOnlyList<Api.Cause> Validate(JsonObject obj, JsonObject? oldObj);
}
