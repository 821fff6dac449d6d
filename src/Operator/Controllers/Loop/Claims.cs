using EksOperator.Aws;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// Whose an existing AWS resource is: adopt it, take it back from an owner that is gone, refuse it, or carry on; the
/// finalizer that comes with owning it; and what deletionPolicy Retain leaves behind.
/// </summary>
internal sealed class Claims(IFinalizers finalizers, IEksTags tags, IRoleManager roles, IEventRecorder events, LiveObjects live, TimeProvider time)
{
    public static Owner OwnerOf(IEksResource obj) => new(obj.Metadata.Uid ?? "", obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name);

    /// <summary>
    /// Null to go on; otherwise why not (Stalled AlreadyExists, or the pass ends after adding the finalizer).
    /// <paramref name="ownedRole"/>: the operator-named IAM role the resource uses, if any, taken back with it when the
    /// resource is reclaimed from an owner that is gone (so that deleting it later deletes the role too).
    /// </summary>
    public async Task<Outcome?> ClaimAsync<T>(T obj, string what, AwsView view, string? ownedRole, CancellationToken ct)
        where T : class, IEksResource // the concrete type: finalizer writes find the API path through it
    {
        var owner = OwnerOf(obj);
        var observeOnly = Polling.IsObserveOnly(obj);
        var ownership = OwnershipCheck.Of(view.Tags, owner, live.IsLive);
        switch (ownership)
        {
            case Aws.Mapping.Ownership.OtherObject:
                return new Outcome.Stall(ConditionReasons.AlreadyExists, $"{what} belongs to {OwnershipCheck.Describe(view.Tags)}; choose another spec.name", StallCause.World);
            case Aws.Mapping.Ownership.Unowned when !observeOnly && !Polling.WantsAdoption(obj):
                return new Outcome.Stall(ConditionReasons.AlreadyExists,
                    $"{what} already exists and is not managed by eks-operator; set the annotation {Annotations.Adopt}: \"true\" to take it over, or choose another spec.name", StallCause.World);
            case Aws.Mapping.Ownership.Reclaimable when !observeOnly && !Polling.WantsAdoption(obj):
                var released = view.Tags!.ContainsKey(OwnershipTags.Released) ? " (released by deletionPolicy Retain)" : "";
                return new Outcome.Stall(ConditionReasons.AlreadyExists,
                    $"{what} was left by {OwnershipCheck.Describe(view.Tags)}, which no longer exists{released}; set the annotation {Annotations.Adopt}: \"true\" to take it back, or choose another spec.name", StallCause.World);
            case Aws.Mapping.Ownership.Unowned or Aws.Mapping.Ownership.Reclaimable when !observeOnly:
                if (await finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct)) return Outcome.Ended;
                await tags.TagAsync(view.Arn, owner.OwnershipTags, ct);
                if (view.Tags?.ContainsKey(OwnershipTags.Released) == true) await tags.UntagAsync(view.Arn, [OwnershipTags.Released], ct);
                if (ownership == Aws.Mapping.Ownership.Reclaimable && ownedRole is not null) await roles.ReclaimAsync(ownedRole, owner, live.IsLive, ct);
                await events.RecordAsync(obj, EventType.Normal, "Adopted",
                    ownership == Aws.Mapping.Ownership.Reclaimable ? $"took back the {what} left by {OwnershipCheck.Describe(view.Tags)}" : $"took over the existing {what}", ct);
                break;
        }

        return !observeOnly && await finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct) ? Outcome.Ended : null;
    }

    /// <summary>Whether the AWS resource carries this object's ownership tag (only the owner deletes).</summary>
    public static bool IsOurs(IEksResource obj, AwsView view) => OwnershipCheck.IsOwnedBy(view.Tags, obj.Metadata.Uid ?? "");

    /// <summary>
    /// deletionPolicy Retain: the resource stays in AWS, tagged as released so that the next owner can see (and, with the
    /// adopt annotation, reclaim) it; so does its operator-named role. Not for ObserveOnly, which never writes to AWS.
    /// </summary>
    public async Task ReleaseAsync(IEksResource obj, string what, string? arn, string? ownedRole, CancellationToken ct)
    {
        var owner = OwnerOf(obj);
        if (arn is not null)
        {
            try
            {
                await tags.TagAsync(arn, Owner.ReleasedTag(time.GetUtcNow()), ct);
            }
            catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
            {
                // Gone already: nothing is left to mark.
            }
        }

        if (ownedRole is not null) await roles.ReleaseAsync(ownedRole, owner, ct);
        await events.RecordAsync(obj, EventType.Normal, "Retained", $"{what} left in AWS (deletionPolicy Retain), tagged {OwnershipTags.Released}", ct);
    }
}
