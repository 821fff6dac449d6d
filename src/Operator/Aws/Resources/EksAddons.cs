using EksOperator.Aws.Eks;

namespace EksOperator.Aws.Resources;

/// <summary>EKS add-ons, in the operator's terms.</summary>
public interface IEksAddons
{
    /// <summary>Whether the cluster runs the add-on (in any state but DELETING); false when the cluster does not exist.</summary>
    Task<bool> RunsAsync(string clusterName, string addonName, CancellationToken cancellationToken);
}

/// <summary>Names of EKS add-ons the operator itself needs to know.</summary>
public static class AddonNames
{
    /// <summary>The add-on that gives pods their Pod Identity credentials.</summary>
    public const string PodIdentityAgent = "eks-pod-identity-agent";
}

internal sealed class EksAddons(IEksAddonApi eks) : IEksAddons
{
    public async Task<bool> RunsAsync(string clusterName, string addonName, CancellationToken cancellationToken) =>
        await eks.DescribeAddonAsync(clusterName, addonName, cancellationToken) is { Status: not "DELETING" };
}
