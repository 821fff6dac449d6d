using EksOperator.Entities;

namespace EksOperator.Aws.Mapping;

/// <summary>The Kubernetes object an AWS resource belongs to (kept free of Kubernetes client types).</summary>
public sealed record Owner(string Uid, string Namespace, string Name)
{
    /// <summary>The tags the operator puts on everything it creates.</summary>
    public IReadOnlyDictionary<string, string> OwnershipTags => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Entities.OwnershipTags.OwnerUid] = Uid,
        [Entities.OwnershipTags.Namespace] = Namespace,
        [Entities.OwnershipTags.Name] = Name,
        [Entities.OwnershipTags.ManagedBy] = Entities.OwnershipTags.ManagedByValue,
    };

    /// <summary>User tags plus ownership tags; ownership wins (admission also rejects user keys that collide).</summary>
    public IReadOnlyDictionary<string, string> TagsWith(IDictionary<string, string>? userTags)
    {
        var tags = new Dictionary<string, string>(userTags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in OwnershipTags) tags[key] = value;
        return tags;
    }

    /// <summary>clientRequestToken for creates: stable per object, so a retried create after a crash is a replay, not a duplicate.</summary>
    public string CreateToken(string purpose) => $"{purpose}-{Uid}";
}

/// <summary>Who owns an existing AWS resource, judged by its tags.</summary>
public enum Ownership
{
    /// <summary>Tagged with this object's UID.</summary>
    Ours,

    /// <summary>No ownership tag: adoptable with the adopt annotation.</summary>
    Unowned,

    /// <summary>Tagged with another object's UID.</summary>
    OtherObject,
}

/// <summary>Reads ownership tags.</summary>
public static class OwnershipCheck
{
    public static Ownership Of(IReadOnlyDictionary<string, string>? tags, string uid) =>
        tags is null || !tags.TryGetValue(OwnershipTags.OwnerUid, out var owner) ? Ownership.Unowned
        : owner == uid ? Ownership.Ours
        : Ownership.OtherObject;

    /// <summary>"namespace/name" of the object named in the tags, for messages.</summary>
    public static string Describe(IReadOnlyDictionary<string, string>? tags) =>
        tags is not null && tags.TryGetValue(OwnershipTags.Namespace, out var ns) && tags.TryGetValue(OwnershipTags.Name, out var name)
            ? $"{ns}/{name}"
            : tags?.GetValueOrDefault(OwnershipTags.OwnerUid) ?? "unknown";
}

/// <summary>Kubernetes minors as EKS spells them ("1.33").</summary>
public static class Minor
{
    public static int Of(string version)
    {
        var dot = version.IndexOf('.', StringComparison.Ordinal);
        return int.Parse(version[(dot + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Next(string version) => $"1.{Of(version) + 1}";

    public static int Compare(string a, string b) => Of(a).CompareTo(Of(b));
}
