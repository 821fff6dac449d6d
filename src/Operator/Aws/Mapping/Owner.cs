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

    /// <summary>The tag that marks a resource left in AWS by deletionPolicy Retain (value: when, RFC 3339).</summary>
    public static IReadOnlyDictionary<string, string> ReleasedTag(DateTimeOffset at) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [Entities.OwnershipTags.Released] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>clientRequestToken for creates: stable per object, so a retried create after a crash is a replay, not a duplicate.</summary>
    public string CreateToken(string purpose) => $"{purpose}-{Uid}";
}

/// <summary>
/// Whether the object may take over an existing AWS resource that is not already its own: the adopt annotation, and
/// which object UIDs still exist (a resource of a deleted object can be reclaimed; one of a live object never).
/// </summary>
public sealed record Adoption(bool Requested, Func<string, bool>? OwnerIsLive = null)
{
    public static Adoption None { get; } = new(false);
}

/// <summary>Who owns an existing AWS resource, judged by its tags.</summary>
public enum Ownership
{
    /// <summary>Tagged with this object's UID.</summary>
    Ours,

    /// <summary>No ownership tag: adoptable with the adopt annotation.</summary>
    Unowned,

    /// <summary>Tagged with another object's UID, and that object may still exist.</summary>
    OtherObject,

    /// <summary>
    /// Tagged with the UID of an object that no longer exists and that let it go (deletionPolicy Retain tags it
    /// <see cref="OwnershipTags.Released"/>), or that had this object's namespace and name (an earlier incarnation of
    /// it, deleted and applied again): adoptable with the adopt annotation, like an unowned resource.
    /// </summary>
    Reclaimable,
}

/// <summary>Reads ownership tags.</summary>
public static class OwnershipCheck
{
    /// <summary>Judges <paramref name="tags"/> for <paramref name="owner"/>.</summary>
    /// <param name="ownerIsLive">Whether an object with the given UID still exists; without it every other UID counts as live.</param>
    public static Ownership Of(IReadOnlyDictionary<string, string>? tags, Owner owner, Func<string, bool>? ownerIsLive = null)
    {
        if (tags is null || !tags.TryGetValue(OwnershipTags.OwnerUid, out var uid)) return Ownership.Unowned;
        if (uid == owner.Uid) return Ownership.Ours;
        if (ownerIsLive is null || ownerIsLive(uid)) return Ownership.OtherObject;
        var sameObject = tags.GetValueOrDefault(OwnershipTags.Namespace) == owner.Namespace && tags.GetValueOrDefault(OwnershipTags.Name) == owner.Name;
        return sameObject || tags.ContainsKey(OwnershipTags.Released) ? Ownership.Reclaimable : Ownership.OtherObject;
    }

    /// <summary>Whether the tags name <paramref name="uid"/> as the owner (enough for deleting: only the owner deletes).</summary>
    public static bool IsOwnedBy(IReadOnlyDictionary<string, string>? tags, string uid) =>
        tags is not null && tags.TryGetValue(OwnershipTags.OwnerUid, out var owner) && owner == uid;

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

    public static string Previous(string version) => $"1.{Of(version) - 1}";

    public static int Compare(string a, string b) => Of(a).CompareTo(Of(b));
}
