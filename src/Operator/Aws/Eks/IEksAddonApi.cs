namespace EksOperator.Aws.Eks;

/// <summary>EKS add-ons, shaped as the 2017-11-01 model.</summary>
public interface IEksAddonApi
{
    /// <summary>Null when the cluster has no add-on of that name.</summary>
    Task<EksAddon?> DescribeAddonAsync(string clusterName, string addonName, CancellationToken cancellationToken = default);
}
