namespace EksOperator.Entities.Schema;

// Attributes read by tools/CrdGen to build each CRD's openAPIV3Schema. They carry no behaviour.

/// <summary>The property must be present.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>A regular expression the string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    /// <summary>The ECMA-262 regular expression.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>Bounds on a string's length.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(int min, int max) : Attribute
{
    /// <summary>Minimum length.</summary>
    public int Min { get; } = min;

    /// <summary>Maximum length.</summary>
    public int Max { get; } = max;
}

/// <summary>Bounds on an integer.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(long min, long max) : Attribute
{
    /// <summary>Inclusive minimum.</summary>
    public long Min { get; } = min;

    /// <summary>Inclusive maximum.</summary>
    public long Max { get; } = max;
}

/// <summary>Bounds on the number of items of a list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(int min, int max) : Attribute
{
    /// <summary>Minimum item count.</summary>
    public int Min { get; } = min;

    /// <summary>Maximum item count.</summary>
    public int Max { get; } = max;
}

/// <summary>Constraints on each string item of a list (or each value of a map).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemPatternAttribute(string pattern) : Attribute
{
    /// <summary>The ECMA-262 regular expression each item must match.</summary>
    public string Pattern { get; } = pattern;
}

/// <summary>At most this many keys in a map.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxPropertiesAttribute(int max) : Attribute
{
    /// <summary>Maximum key count.</summary>
    public int Max { get; } = max;
}

/// <summary>The value the API server fills in when the field is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    /// <summary>The default (string, bool, number, or an enum member).</summary>
    public object Value { get; } = value;
}

/// <summary>
/// The field cannot change once set (CEL <c>self == oldSelf</c>). With <see cref="FreezePresence"/> it can
/// also not be added or removed after creation.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ImmutableAttribute : Attribute
{
    /// <summary>Also forbid adding or removing the field after creation.</summary>
    public bool FreezePresence { get; init; }
}

/// <summary>A CEL validation rule (x-kubernetes-validations) on the annotated type or property.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class RuleAttribute(string rule, string message) : Attribute
{
    /// <summary>The CEL expression; <c>self</c> is the annotated node.</summary>
    public string Rule { get; } = rule;

    /// <summary>The message returned when the rule fails; it names the field.</summary>
    public string Message { get; } = message;

    /// <summary>Optional field path (relative, e.g. <c>.desiredSize</c>) that the error points at.</summary>
    public string? FieldPath { get; init; }
}

/// <summary>The list is a set (x-kubernetes-list-type: set): items are unique scalars.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;

/// <summary>The list is a map keyed by the given item fields (x-kubernetes-list-type: map).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    /// <summary>The item fields that identify an item.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>The OpenAPI format of a string (for example <c>date-time</c>, <c>byte</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    /// <summary>The format name.</summary>
    public string Format { get; } = format;
}

/// <summary>The kind's objects have no namespace (CRD scope Cluster).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ClusterScopedAttribute : Attribute;

/// <summary>Kubernetes names of a kind beyond <c>KubernetesEntityAttribute</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EntityNamesAttribute(string singular, string[] shortNames, string[] categories) : Attribute
{
    /// <summary>The singular resource name.</summary>
    public string Singular { get; } = singular;

    /// <summary>Short names for kubectl.</summary>
    public IReadOnlyList<string> ShortNames { get; } = shortNames;

    /// <summary>Categories (kubectl get CATEGORY).</summary>
    public IReadOnlyList<string> Categories { get; } = categories;
}

/// <summary>
/// The CRD description of a kind's <c>spec</c> in the kind's own words ("The cluster the user wants."): the envelope
/// (<c>CustomResource</c>) declares spec once for every kind, so its XML summary cannot name the kind.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SpecDescriptionAttribute(string description) : Attribute
{
    /// <summary>The description of <c>spec</c>.</summary>
    public string Description { get; } = description;
}

/// <summary>An additionalPrinterColumn; columns are emitted in <see cref="Order"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    /// <summary>Position among the columns.</summary>
    public int Order { get; } = order;

    /// <summary>Column header.</summary>
    public string Name { get; } = name;

    /// <summary>string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;

    /// <summary>JSONPath into the object.</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>0 shows always; 1 only with -o wide.</summary>
    public int Priority { get; init; }

    /// <summary>Column description.</summary>
    public string? Description { get; init; }
}
