namespace EksOperator.Aws.Eks;

/// <summary>EKS add-ons, shaped as the 2017-11-01 model. UpdateAddon is an asynchronous update (DescribeUpdate with addonName).</summary>
public interface IEksAddonApi
{
    Task<EksAddon> CreateAddonAsync(string clusterName, CreateAddonBody body, CancellationToken cancellationToken = default);

    /// <summary>Null when the cluster has no add-on of that name.</summary>
    Task<EksAddon?> DescribeAddonAsync(string clusterName, string addonName, CancellationToken cancellationToken = default);

    Task<Update> UpdateAddonAsync(string clusterName, string addonName, UpdateAddonBody body, CancellationToken cancellationToken = default);

    /// <summary>Returns the add-on in DELETING; <paramref name="preserve"/> keeps its Kubernetes objects (and owned associations).</summary>
    Task DeleteAddonAsync(string clusterName, string addonName, bool preserve, CancellationToken cancellationToken = default);

    /// <summary>The versions of one add-on offered for a Kubernetes minor, every page read (empty when EKS offers none).</summary>
    Task<IReadOnlyList<EksAddonVersionInfo>> DescribeAddonVersionsAsync(string addonName, string kubernetesVersion, CancellationToken cancellationToken = default);

    Task<EksAddonConfiguration> DescribeAddonConfigurationAsync(string addonName, string addonVersion, CancellationToken cancellationToken = default);
}
