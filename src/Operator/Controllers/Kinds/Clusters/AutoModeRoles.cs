using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// The IAM side of EKS Auto Mode, before EKS is asked to turn it on: the node role (given, or <c>&lt;name&gt;-eks-auto-node</c>
/// created and owned), and the Auto Mode policies and sts:TagSession trust on an operator-owned cluster role. The
/// owned node role is deleted after the cluster.
/// </summary>
internal sealed class AutoModeRoles(IRoleManager roles, LiveObjects live)
{
    /// <summary>The node role Auto Mode is sent with: the spec's, or the owned one once it exists (status).</summary>
    public static string? NodeRoleArn(EksCluster cluster) =>
        ClusterSettingsMapping.NeedsNodeRole(cluster.Spec.AutoMode) ? cluster.Spec.AutoMode!.NodeRoleArn ?? cluster.Status?.AutoModeNodeRoleArn : null;

    /// <summary>
    /// Makes sure the roles Auto Mode needs exist with their policies. A refusal when a role of that name is not ours;
    /// a short wait when the node role has just been resolved (the next pass builds the request with it); else null.
    /// </summary>
    public async Task<Outcome?> EnsureAsync(EksCluster cluster, string clusterName, CancellationToken ct)
    {
        if (cluster.Spec.AutoMode is not { Enabled: true } autoMode) return null;
        var status = cluster.EnsureStatus();
        if (cluster.Spec.RoleArn is null)
        {
            var clusterRole = await roles.EnsureAsync(OwnedRoleSpec.ClusterRole(clusterName, autoMode: true), Claims.OwnerOf(cluster), live.AdoptionFor(cluster), ct);
            if (clusterRole.Outcome == RoleOutcome.NotOurs) return new Outcome.Stall(ConditionReasons.AlreadyExists, clusterRole.Message!, StallCause.World);
        }

        if (!ClusterSettingsMapping.NeedsNodeRole(autoMode)) return null;
        if (autoMode.NodeRoleArn is { } given)
        {
            status.AutoModeNodeRoleArn = given;
            return null;
        }

        var node = await roles.EnsureAsync(OwnedRoleSpec.AutoModeNodeRole(clusterName), Claims.OwnerOf(cluster), live.AdoptionFor(cluster), ct);
        if (node.Outcome == RoleOutcome.NotOurs) return new Outcome.Stall(ConditionReasons.AlreadyExists, node.Message!, StallCause.World);
        var known = status.AutoModeNodeRoleArn == node.Arn;
        status.AutoModeNodeRoleArn = node.Arn;
        return known ? null : new Outcome.Progress(ConditionReasons.Updating, $"created IAM role {OwnedRoleSpec.AutoModeNodeRole(clusterName).Name} for EKS Auto Mode nodes", Wait.Briefly);
    }

    /// <summary>Deletes the owned node role (only where its tags name this cluster) once the cluster is gone.</summary>
    public Task DeleteAsync(EksCluster cluster, string clusterName, CancellationToken ct) =>
        cluster.Spec.AutoMode is { NodeRoleArn: null } || cluster.Status?.AutoModeNodeRoleArn?.EndsWith("/" + OwnedRoleSpec.AutoModeNodeRole(clusterName).Name, StringComparison.Ordinal) == true
            ? roles.DeleteAsync(OwnedRoleSpec.AutoModeNodeRole(clusterName), Claims.OwnerOf(cluster), ct)
            : Task.CompletedTask;
}
