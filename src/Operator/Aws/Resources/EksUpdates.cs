using EksOperator.Aws.Eks;

namespace EksOperator.Aws.Resources;

/// <summary>Where an EKS update runs: a cluster, one of its node groups, add-ons or capabilities.</summary>
public sealed record UpdateTarget(string ClusterName, string? NodegroupName = null, string? AddonName = null, string? CapabilityName = null);

/// <summary>Following EKS updates (DescribeUpdate) by id.</summary>
public interface IEksUpdates
{
    /// <summary>Null when EKS no longer knows the update.</summary>
    Task<Update?> DescribeAsync(UpdateTarget target, string updateId, CancellationToken cancellationToken);
}

/// <summary>Bringing the tags of an EKS resource to a wanted set (TagResource / UntagResource).</summary>
public interface IEksTags
{
    /// <summary>Sets and removes what differs, so that the resource carries exactly <paramref name="desired"/> (plus AWS's own aws: tags).</summary>
    Task SyncAsync(string arn, IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string>? observed, CancellationToken cancellationToken);

    Task TagAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    Task UntagAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

internal sealed class EksUpdates(IEksApi eks) : IEksUpdates, IEksTags
{
    public Task<Update?> DescribeAsync(UpdateTarget target, string updateId, CancellationToken cancellationToken) =>
        eks.DescribeUpdateAsync(new DescribeUpdateRequest { Name = target.ClusterName, NodegroupName = target.NodegroupName, AddonName = target.AddonName, CapabilityName = target.CapabilityName, UpdateId = updateId }, cancellationToken);

    public async Task SyncAsync(string arn, IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string>? observed, CancellationToken cancellationToken)
    {
        var diff = Mapping.TagDiff.Between(desired, observed);
        if (diff.ToSet.Count > 0) await eks.TagResourceAsync(arn, diff.ToSet, cancellationToken);
        if (diff.ToRemove.Count > 0) await eks.UntagResourceAsync(arn, diff.ToRemove, cancellationToken);
    }

    public Task TagAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        eks.TagResourceAsync(arn, tags, cancellationToken);

    public Task UntagAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        eks.UntagResourceAsync(arn, keys, cancellationToken);
}
