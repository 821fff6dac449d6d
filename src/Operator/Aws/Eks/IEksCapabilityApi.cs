namespace EksOperator.Aws.Eks;

/// <summary>
/// EKS capabilities (managed Argo CD, ACK, kro), shaped as the 2017-11-01 model. UpdateCapability is an asynchronous
/// update (DescribeUpdate with capabilityName); create and delete return the capability.
/// </summary>
public interface IEksCapabilityApi
{
    Task<EksCapability> CreateCapabilityAsync(string clusterName, CreateCapabilityBody body, CancellationToken cancellationToken = default);

    /// <summary>Null when the cluster has no capability of that name.</summary>
    Task<EksCapability?> DescribeCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default);

    /// <summary>The update EKS runs, or null when it answered without one (the change is then in effect).</summary>
    Task<Update?> UpdateCapabilityAsync(string clusterName, string capabilityName, UpdateCapabilityBody body, CancellationToken cancellationToken = default);

    /// <summary>Returns the capability in DELETING; throws NotFound when it is already gone.</summary>
    Task DeleteCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default);
}
