using EksOperator.Entities.V1Alpha1;
using static EksOperator.Aws.Eks.EksValues;

namespace EksOperator.Controllers.Loop;

/// <summary>What an EKS update in flight does, in the words a status message uses.</summary>
internal static class UpdateText
{
    /// <summary>
    /// The change being made: the first pending drift entry when the pass recorded one ("Updating spec.logging from
    /// [api] to [api, audit]"), else the update type in words.
    /// </summary>
    public static string Of(ResourceStatus? status, string subject)
    {
        if (status?.Drift is [var first, ..])
        {
            return $"Updating {first.Field} from {first.Actual ?? "(unset)"} to {first.Desired ?? "(unset)"}";
        }

        return status?.ActiveUpdate?.Type switch
        {
            UpdateTypes.VersionUpdate => $"Updating the version of {subject}",
            UpdateTypes.LoggingUpdate => $"Updating the logging of {subject}",
            UpdateTypes.EndpointAccessUpdate => $"Updating the endpoint access of {subject}",
            UpdateTypes.VpcConfigUpdate => $"Updating the VPC configuration of {subject}",
            UpdateTypes.AccessConfigUpdate => $"Updating the authentication mode of {subject}",
            UpdateTypes.UpgradePolicyUpdate => $"Updating the upgrade policy of {subject}",
            UpdateTypes.ConfigUpdate => $"Updating the configuration of {subject}",
            "AssociateEncryptionConfig" => $"Turning on secrets encryption for {subject}",
            "DeletionProtectionUpdate" => $"Updating the deletion protection of {subject}",
            { } type => $"Updating {subject} ({type})",
            null => $"Updating {subject}",
        };
    }

    /// <summary>One control-plane step of an upgrade, as docs/gitops.md shows it.</summary>
    public static string ControlPlaneStep(string from, string to, string target) =>
        to == target ? $"Upgrading the control plane {from} -> {to}" : $"Upgrading the control plane {from} -> {to} (target {target})";
}
