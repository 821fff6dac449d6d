using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Resources;

/// <summary>The subnets a cluster's spec resolves to, or why it resolves to none EKS would take.</summary>
public sealed record SubnetResolution(IReadOnlyList<string> SubnetIds, string? Problem);

/// <summary>A CreateCluster as the operator means it: the spec, the resolved subnets and role, and the owner.</summary>
public sealed record ClusterCreate(string Name, EksClusterSpec Spec, IReadOnlyList<string> SubnetIds, string RoleArn, Owner Owner, string? AutoModeNodeRoleArn = null);

/// <summary>EKS clusters, in the operator's terms: the wire requests are built here, not by the callers.</summary>
public interface IEksClusters
{
    Task<Cluster?> FindAsync(string name, CancellationToken cancellationToken);

    Task<Cluster> CreateAsync(ClusterCreate create, CancellationToken cancellationToken);

    /// <summary>The settings that differ from the spec, in the order they are applied (EKS: one kind of change per call).</summary>
    /// <param name="autoModeNodeRoleArn">The Auto Mode node role (given or owned), sent when Auto Mode is turned on.</param>
    IReadOnlyList<ClusterChange> ChangesFor(string name, EksClusterSpec spec, Cluster observed, string? autoModeNodeRoleArn = null);

    Task<Update> ApplyAsync(ClusterChange change, CancellationToken cancellationToken);

    /// <summary>UpdateClusterVersion; <paramref name="force"/> overrides EKS's upgrade-readiness checks for this one step.</summary>
    Task<Update> UpgradeAsync(string name, string version, bool force, CancellationToken cancellationToken);

    Task<Update> SetDeletionProtectionAsync(string name, bool enabled, CancellationToken cancellationToken);

    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Node groups and Fargate profiles EKS has on the cluster, e.g. "nodegroup a", "fargate profile b".</summary>
    Task<IReadOnlyList<string>> ChildrenAsync(string name, CancellationToken cancellationToken);

    /// <summary>The subnets <paramref name="vpc"/> names or selects, checked as EKS will (one VPC, 2 subnets in 2 zones).</summary>
    Task<SubnetResolution> ResolveSubnetsAsync(ClusterVpc vpc, CancellationToken cancellationToken);
}

internal sealed class EksClusters(IEksApi eks, IEc2Api ec2) : IEksClusters
{
    public Task<Cluster?> FindAsync(string name, CancellationToken cancellationToken) => eks.DescribeClusterAsync(name, cancellationToken);

    public Task<Cluster> CreateAsync(ClusterCreate create, CancellationToken cancellationToken) =>
        eks.CreateClusterAsync(ClusterMapping.ToCreateRequest(create.Name, create.Spec, create.SubnetIds, create.RoleArn, create.Owner, create.AutoModeNodeRoleArn), cancellationToken);

    public IReadOnlyList<ClusterChange> ChangesFor(string name, EksClusterSpec spec, Cluster observed, string? autoModeNodeRoleArn = null) =>
        ClusterMapping.ConfigChanges(name, spec, observed, autoModeNodeRoleArn);

    public Task<Update> ApplyAsync(ClusterChange change, CancellationToken cancellationToken) =>
        change.Encryption is { } encryption
            ? eks.AssociateEncryptionConfigAsync(encryption, cancellationToken)
            : eks.UpdateClusterConfigAsync(change.Request!, cancellationToken);

    public Task<Update> UpgradeAsync(string name, string version, bool force, CancellationToken cancellationToken) =>
        eks.UpdateClusterVersionAsync(new UpdateClusterVersionRequest { Name = name, Version = version, Force = force ? true : null }, cancellationToken);

    public Task<Update> SetDeletionProtectionAsync(string name, bool enabled, CancellationToken cancellationToken) =>
        eks.UpdateClusterConfigAsync(new UpdateClusterConfigRequest { Name = name, DeletionProtection = enabled }, cancellationToken);

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) => await eks.DeleteClusterAsync(name, cancellationToken);

    public async Task<IReadOnlyList<string>> ChildrenAsync(string name, CancellationToken cancellationToken)
    {
        var result = new List<string>();
        string? next = null;
        do
        {
            var page = await eks.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = name, NextToken = next }, cancellationToken);
            result.AddRange(page.Nodegroups.Select(n => $"nodegroup {n}"));
            next = page.NextToken;
        }
        while (next is not null);

        do
        {
            var page = await eks.ListFargateProfilesAsync(new ListFargateProfilesRequest { ClusterName = name, NextToken = next }, cancellationToken);
            result.AddRange(page.FargateProfileNames.Select(n => $"fargate profile {n}"));
            next = page.NextToken;
        }
        while (next is not null);
        return result;
    }

    public async Task<SubnetResolution> ResolveSubnetsAsync(ClusterVpc vpc, CancellationToken cancellationToken)
    {
        IReadOnlyList<Ec2Subnet> found;
        try
        {
            found = vpc.SubnetIds is { } ids
                ? await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery { SubnetIds = [.. ids] }, cancellationToken)
                : await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery
                {
                    VpcId = vpc.SubnetSelector!.VpcId,
                    Tags = vpc.SubnetSelector.Tags.ToDictionary(t => t.Key, t => (string?)t.Value),
                }, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind is AwsErrorKind.NotFound or AwsErrorKind.Invalid)
        {
            return new([], $"spec.vpc.subnetIds: {e.Message}");
        }

        var what = vpc.SubnetIds is not null ? "spec.vpc.subnetIds" : "spec.vpc.subnetSelector";
        if (found.Select(s => s.VpcId).Distinct().Count() > 1)
        {
            return new([], $"{what} names subnets in several VPCs ({string.Join(", ", found.Select(s => s.VpcId).Distinct())}); EKS needs one VPC (set subnetSelector.vpcId)");
        }

        if (found.Count < 2 || found.Select(s => s.AvailabilityZone).Distinct().Count() < 2)
        {
            return new([], $"{what} resolves to {found.Count} subnet(s) in {found.Select(s => s.AvailabilityZone).Distinct().Count()} availability zone(s); EKS needs at least 2 subnets in 2 zones");
        }

        return new([.. found.Select(s => s.SubnetId).Order(StringComparer.Ordinal)], null);
    }
}
