using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Resources;

/// <summary>A CreateNodegroup as the operator means it.</summary>
public sealed record NodegroupCreate(string ClusterName, string Name, ManagedNodeGroupSpec Spec, IReadOnlyList<string> SubnetIds, string NodeRoleArn, string Version, Owner Owner);

/// <summary>
/// One node group update EKS accepts in a call: a version change (Kubernetes minor, release or launch template
/// version) or a config change (scaling, labels, taints, update config together), with what it corrects.
/// </summary>
public sealed record NodegroupChange(IReadOnlyList<DriftEntry> Drift, UpdateNodegroupVersionRequest? Version, UpdateNodegroupConfigRequest? Config)
{
    /// <summary>A version change to a newer Kubernetes minor (an upgrade step), not a release or template bump.</summary>
    public bool IsMinorUpgrade => Version?.Version is not null;
}

/// <summary>EKS managed node groups, in the operator's terms.</summary>
public interface IEksNodegroups
{
    Task<Nodegroup?> FindAsync(string clusterName, string name, CancellationToken cancellationToken);

    Task<Nodegroup> CreateAsync(NodegroupCreate create, CancellationToken cancellationToken);

    /// <summary>
    /// The updates that would bring the node group to the spec, version first (EKS takes one per call);
    /// <paramref name="targetVersion"/> is the minor it should run (its own, or its cluster's when it follows).
    /// </summary>
    IReadOnlyList<NodegroupChange> ChangesFor(string clusterName, string name, ManagedNodeGroupSpec spec, string? targetVersion, Nodegroup observed);

    Task<Update> ApplyAsync(NodegroupChange change, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string name, CancellationToken cancellationToken);
}

internal sealed class EksNodegroups(IEksApi eks) : IEksNodegroups
{
    public Task<Nodegroup?> FindAsync(string clusterName, string name, CancellationToken cancellationToken) => eks.DescribeNodegroupAsync(clusterName, name, cancellationToken);

    public Task<Nodegroup> CreateAsync(NodegroupCreate create, CancellationToken cancellationToken) =>
        eks.CreateNodegroupAsync(NodegroupMapping.ToCreateRequest(create.ClusterName, create.Name, create.Spec, create.SubnetIds, create.NodeRoleArn, create.Version, create.Owner), cancellationToken);

    public IReadOnlyList<NodegroupChange> ChangesFor(string clusterName, string name, ManagedNodeGroupSpec spec, string? targetVersion, Nodegroup observed)
    {
        var changes = new List<NodegroupChange>();
        var (version, versionDrift) = NodegroupMapping.VersionChange(clusterName, name, spec, targetVersion, observed);
        if (version is not null) changes.Add(new NodegroupChange([versionDrift!], version, null));
        var (config, configDrift) = NodegroupMapping.ConfigChange(clusterName, name, spec, observed);
        if (config is not null) changes.Add(new NodegroupChange(configDrift, null, config));
        return changes;
    }

    public Task<Update> ApplyAsync(NodegroupChange change, CancellationToken cancellationToken) =>
        change.Version is { } version ? eks.UpdateNodegroupVersionAsync(version, cancellationToken) : eks.UpdateNodegroupConfigAsync(change.Config!, cancellationToken);

    public async Task DeleteAsync(string clusterName, string name, CancellationToken cancellationToken) => await eks.DeleteNodegroupAsync(clusterName, name, cancellationToken);
}
