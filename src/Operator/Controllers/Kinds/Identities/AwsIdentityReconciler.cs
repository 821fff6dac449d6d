using EksOperator.Aws;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.Identities;

/// <summary>
/// An AwsIdentity's status: Ready once its role (through its chain) was assumed, the account, the session, and the
/// namespaces it serves; Stalled with AWS's words when AssumeRole is refused (a trust policy without the operator, a
/// missing external id), or with what to fix when its chain does not hold. No other AWS call is made for it.
/// </summary>
internal sealed class AwsIdentityReconciler(
    IStore<AwsIdentity> store,
    Loop.Identities identities,
    IAwsSessions sessions,
    ReconcilePass pass,
    StatusConditions conditions,
    Polling polling,
    IShards shards,
    TimeProvider time) : IReconciler<AwsIdentity>
{
    /// <summary>
    /// Every shard uses every identity, but one writes its status: the default shard (with several shards the others
    /// would overwrite each other's session times).
    /// </summary>
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        shards.Enabled && shards.Current != ShardingOptions.DefaultShard
            ? Task.FromResult(ReconcileResult.Done)
            : pass.RunAsync(store, key, PassAsync, cancellationToken, identity => string.Join(',', identities.Namespaces(identity)));

    private async Task<ReconcileResult> PassAsync(AwsIdentity identity, CancellationToken ct)
    {
        var status = identity.EnsureStatus();
        status.Namespaces = [.. identities.Namespaces(identity)];
        status.ObservedGeneration = identity.Metadata.Generation;
        var (role, problem) = identities.RoleOf(identity);
        if (role is null)
        {
            conditions.Stalled(identity, ConditionReasons.IdentityNotReady, problem!);
            return polling.AfterStall;
        }

        status.AccountId = role.AccountId;
        AwsSession session;
        try
        {
            session = await sessions.AssumeAsync(role, ct);
        }
        catch (AwsApiException e) when (e.Kind is not (AwsErrorKind.Throttled or AwsErrorKind.Transient))
        {
            conditions.Stalled(identity, ConditionReasons.IdentityNotReady,
                $"AWS refused AssumeRole of {role.RoleArn}: {e.Code}: {e.Message}; the role's trust policy must allow the operator's principal{(role.ExternalId is null ? "" : " with this external id")} (see docs/iam.md)");
            return polling.AfterStall;
        }

        var expires = session.ExpiresAt?.UtcDateTime;
        if (status.SessionExpiresAt != expires)
        {
            status.LastAssumedTime = time.GetUtcNow().UtcDateTime;
            status.SessionExpiresAt = expires;
        }

        status.AssumedRoleArn = session.AssumedArn;
        var served = status.Namespaces.Count == 0 ? "no namespace yet" : string.Join(", ", status.Namespaces);
        conditions.Ready(identity, ConditionReasons.Assumed, $"Assumed {role.RoleArn} (account {role.AccountId}); serves {served}");
        return polling.Resync;
    }
}
