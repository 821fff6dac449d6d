namespace EksOperator.Aws.Mapping;

/// <summary>Tags to add or change and keys to remove so that AWS carries exactly the desired tags.</summary>
public sealed record TagDiff(IReadOnlyDictionary<string, string> ToSet, IReadOnlyList<string> ToRemove)
{
    public bool IsEmpty => ToSet.Count == 0 && ToRemove.Count == 0;

    /// <summary>
    /// The operator owns the tag set of the resources it manages (as ACK does), except AWS's own <c>aws:</c> tags,
    /// which nobody may set or remove.
    /// </summary>
    public static TagDiff Between(IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string>? observed)
    {
        observed ??= new Dictionary<string, string>();
        var toSet = desired.Where(t => !observed.TryGetValue(t.Key, out var v) || v != t.Value)
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var toRemove = observed.Keys
            .Where(k => !desired.ContainsKey(k) && !k.StartsWith("aws:", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        return new TagDiff(toSet, toRemove);
    }
}
