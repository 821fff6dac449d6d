using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;

namespace EksOperator.Aws.Resources;

/// <summary>A CreateFargateProfile as the operator means it; <paramref name="SpecHash"/> makes its idempotency token.</summary>
public sealed record FargateCreate(string ClusterName, string ProfileName, FargateProfileSpec Spec, string RoleArn, Owner Owner, string SpecHash);

/// <summary>EKS Fargate profiles, in the operator's terms. EKS cannot change a profile, only replace it.</summary>
public interface IEksFargateProfiles
{
    Task<AwsProfile?> FindAsync(string clusterName, string name, CancellationToken cancellationToken);

    Task<AwsProfile> CreateAsync(FargateCreate create, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string name, CancellationToken cancellationToken);

    /// <summary>A short stable hash of what EKS cannot change (role, subnets, selectors).</summary>
    string SpecHash(FargateProfileSpec spec, string roleArn);

    /// <summary>The same hash of what EKS reports (for a profile created before the hash was recorded).</summary>
    string ObservedHash(AwsProfile observed, FargateProfileSpec template);
}

internal sealed class EksFargateProfiles(IEksApi eks) : IEksFargateProfiles
{
    public Task<AwsProfile?> FindAsync(string clusterName, string name, CancellationToken cancellationToken) => eks.DescribeFargateProfileAsync(clusterName, name, cancellationToken);

    public Task<AwsProfile> CreateAsync(FargateCreate create, CancellationToken cancellationToken) =>
        eks.CreateFargateProfileAsync(FargateMapping.ToCreateRequest(create.ClusterName, create.ProfileName, create.Spec, create.RoleArn, create.Owner, create.SpecHash), cancellationToken);

    public async Task DeleteAsync(string clusterName, string name, CancellationToken cancellationToken) => await eks.DeleteFargateProfileAsync(clusterName, name, cancellationToken);

    public string SpecHash(FargateProfileSpec spec, string roleArn) => FargateMapping.SpecHash(spec, roleArn);

    public string ObservedHash(AwsProfile observed, FargateProfileSpec template) => FargateMapping.SpecHash(new FargateProfileSpec
    {
        ClusterRef = template.ClusterRef,
        SubnetIds = observed.Subnets?.ToList() ?? [],
        Selectors = [.. (observed.Selectors ?? []).Select(s => new FargateSelector { Namespace = s.Namespace ?? "", Labels = s.Labels?.ToDictionary(l => l.Key, l => l.Value) })],
    }, observed.PodExecutionRoleArn ?? "");
}
