using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// The one reconcile loop of every AWS-backed kind (ACK's Sync over a resource manager; Cluster API's skeleton): read
/// from the store, place the object (its cluster, its region), read AWS, create if absent, claim what exists, follow
/// AWS's lifecycle and the update in flight, report drift for ObserveOnly, make at most one change per pass, tags,
/// Ready; and on deletion: children first, Retain, delete, wait until gone, owned roles, finalizer. The kind's adapter
/// answers questions; this class alone decides conditions, events and requeues (<see cref="ConcludeAsync"/>).
/// </summary>
internal sealed class AwsResourceLoop<T, TAws>(IStore<T> store, AwsKind<T, TAws> kind, LoopServices s) : IReconciler<T>
    where T : class, IEksResource
    where TAws : class
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        s.Pass.RunAsync(store, key, PassAsync, cancellationToken, o => s.Identities.For(o).Key + "\u001d" + kind.Inputs(o));

    /// <summary>
    /// The identity first (the object's namespace chooses it; no AWS call before it is settled), then every AWS call of
    /// the pass goes to that identity's account, in the region of the object's cluster (its spec.region, else the
    /// identity's region, else the operator's).
    /// </summary>
    private async Task<ReconcileResult> PassAsync(T obj, CancellationToken ct)
    {
        Outcome outcome;
        var identity = s.Identities.For(obj);
        obj.EnsureStatus().Identity = identity.InUse(s.Identities.OwnAccount);
        try
        {
            var deleting = obj.Metadata.DeletionTimestamp is not null;
            if (identity.Refusal is { } refused)
            {
                outcome = refused;
            }
            else
            {
                using var scope = AwsScope.Use(new AwsTarget(identity.Region ?? s.Identities.OwnRegion, identity.Role));
                var placed = await kind.PlaceAsync(obj, deleting, ct);
                using var regional = AwsScope.Use(new AwsTarget(RegionOf(placed) ?? identity.Region ?? s.Identities.OwnRegion, identity.Role));
                outcome = deleting ? await DeleteAsync(obj, placed, ct) : await ApplyAsync(obj, placed, ct);
            }
        }
        catch (AwsApiException error)
        {
            outcome = Failures.Of(error); // throttling and 5xx leave as a routine retry
        }

        return await ConcludeAsync(obj, outcome, ct);
    }

    /// <summary>The region of the pass's cluster: where it runs (status), else where its spec puts it.</summary>
    private static string? RegionOf(Placed placed) =>
        (placed.At ?? placed.WhileWaiting)?.Cluster is { } cluster ? cluster.Status?.Region ?? cluster.Spec.Region : null;

    private async Task<Outcome> ApplyAsync(T obj, Placed placed, CancellationToken ct)
    {
        if (placed.At is not { } at)
        {
            if (placed.WhileWaiting is { } early && await PrepareRoleAsync(obj, early, ct) is { } prepared) return prepared;
            return placed.Hold ?? Outcome.Ended;
        }

        if (await kind.ValidateAsync(obj, at, ct) is { } invalid) return invalid;
        var observed = await kind.ReadAsync(obj, at, ct);
        if (observed is null) return await CreateAsync(obj, at, ct);

        var view = kind.View(observed);
        if (kind.Refuse(obj, at, observed) is { } refused) return refused;
        if (await s.Claims.ClaimAsync(obj, Capitalized(at.What), view, OwnedRoles.UsedOwnedRole(kind, obj, at, observed), ct) is { } claim) return claim;
        kind.Observe(obj, observed);
        switch (view.Lifecycle)
        {
            case Lifecycle.Creating:
                return new Outcome.Progress(ConditionReasons.Creating, $"EKS is creating {at.Noun}");
            case Lifecycle.Deleting:
                return new Outcome.Progress(ConditionReasons.Deleting, $"EKS is deleting {at.Noun} (deleted outside the operator?); it will be created again");
            case Lifecycle.Failed:
                return new Outcome.Stall(ConditionReasons.AwsError, $"EKS reports {at.Noun} {view.Status}: {view.Health}; fix it in AWS or delete the object to clean up", StallCause.World);
        }

        if (kind.UpdateTarget(obj, at) is { } target && await s.Updates.TrackAsync(obj, target, kind.RunningReason(obj), kind.Doing(obj, at), ct) is { } tracking)
        {
            return tracking;
        }

        if (view.Lifecycle == Lifecycle.Updating) return new Outcome.Progress(ConditionReasons.Updating, $"EKS is updating {at.Noun}");

        var changes = kind.Changes(obj, at, observed);
        if (Polling.IsObserveOnly(obj)) return Report(obj, at, observed, view, changes);
        if (await kind.BeforeChangesAsync(obj, at, observed, ct) is { } step) return step;
        if (changes.Count > 0) return await ChangeAsync(obj, at, changes, ct);

        await s.Tags.SyncAsync(view.Arn, Claims.OwnerOf(obj).TagsWith(obj.CommonSpec.Tags), view.Tags, ct);
        obj.EnsureStatus().Drift = null;
        var after = await kind.AfterSyncAsync(obj, at, observed, ct);
        if (after.Outcome is { } notReady) return notReady;
        var detail = kind.ReadyDetail(observed) is { Length: > 0 } d ? " " + d : "";
        return new Outcome.InSync($"{Capitalized(at.Noun)} is ACTIVE{detail} and matches the spec", $"{at.Noun} is ACTIVE and in sync", after.LookAgainWithin);
    }

    private async Task<Outcome> CreateAsync(T obj, Placement at, CancellationToken ct)
    {
        if (Polling.IsObserveOnly(obj))
        {
            return new Outcome.Stall(ConditionReasons.AwsError, $"{Capitalized(at.What)} does not exist; managementPolicy ObserveOnly never creates it", StallCause.World);
        }

        var plan = await kind.PlanCreateAsync(obj, at, ct);
        if (plan.Refusal is { } refused) return refused;

        // The finalizer goes on just before the first AWS create, never earlier.
        if (await s.Finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct)) return Outcome.Ended;
        var (roleArn, notOurs) = await s.OwnedRoles.EnsureAsync(kind, obj, at, ct);
        if (notOurs is not null) return notOurs;
        if (await kind.BeforeCreateAsync(obj, at, ct) is { } notYet) return notYet;

        var created = await kind.CreateAsync(obj, at, plan, roleArn, ct);
        kind.Observe(obj, created);
        return new Outcome.Progress(ConditionReasons.Creating, $"EKS is creating {at.Noun}", Event: new StepEvent("Creating", kind.CreatedText(obj, at, created)));
    }

    /// <summary>
    /// While EKS creates the cluster (about 12 minutes) a child creates its IAM role: IAM has propagated it by the time
    /// the cluster is ACTIVE, and the IAM calls of many children are not queued behind the cluster.
    /// </summary>
    private async Task<Outcome?> PrepareRoleAsync(T obj, Placement early, CancellationToken ct)
    {
        if (Polling.IsObserveOnly(obj) || kind.GivenRole(obj) is not null || kind.RecordedRole(obj) is not null || kind.OwnedRole(obj, early) is null) return null;
        if (await s.Finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct)) return Outcome.Ended;
        var (_, notOurs) = await s.OwnedRoles.EnsureAsync(kind, obj, early, ct);
        return notOurs;
    }

    private async Task<Outcome> ChangeAsync(T obj, Placement at, IReadOnlyList<PlannedChange> changes, CancellationToken ct)
    {
        var change = changes[0];
        var update = await change.Apply(ct);
        var what = string.Join("; ", change.Drift.Select(d => $"{d.Field} {d.Actual} -> {d.Desired}"));
        var more = changes.Count > 1 ? $" ({changes.Count - 1} more change(s) after it)" : "";
        if (update is null)
        {
            // Done at once: what is left is read again shortly, one change per pass as for tracked updates.
            var left = changes.Skip(1).SelectMany(c => c.Drift).ToList();
            obj.EnsureStatus().Drift = left.Count > 0 ? left : null;
            return new Outcome.Progress(change.Reason, $"Updated {at.Noun}: {what}{more}", Wait.Briefly, new StepEvent("Updated", what));
        }

        UpdateTracker.Started(obj, update);
        obj.EnsureStatus().Drift = [.. changes.SelectMany(c => c.Drift)];
        return new Outcome.Progress(change.Reason, UpdateText.Of(obj.CommonStatus, at.Noun) + more, Event: new StepEvent("UpdateStarted", $"{update.Type}: {what}"));
    }

    /// <summary>ObserveOnly: what differs goes into status.drift; nothing is changed.</summary>
    private Outcome Report(T obj, Placement at, TAws observed, AwsView view, IReadOnlyList<PlannedChange> changes)
    {
        var drift = changes.SelectMany(c => c.Drift).Concat(kind.ObservedDrift(obj, at, observed)).ToList();
        // Only the tags the user set are compared: an audited resource carries tags of its own.
        if (obj.CommonSpec.Tags is { Count: > 0 } wanted
            && wanted.Where(t => view.Tags?.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } differing)
        {
            drift.Add(new DriftEntry { Field = "spec.tags", Desired = "[" + string.Join(",", differing) + "]", Actual = "(differs)" });
        }

        obj.EnsureStatus().Drift = drift.Count > 0 ? drift : null;
        return drift.Count > 0
            ? new Outcome.Drifted($"ObserveOnly: AWS differs from the spec in {string.Join(", ", drift.Select(d => d.Field).Distinct())} (see status.drift); nothing is changed")
            : new Outcome.InSync($"ObserveOnly: {at.Noun} matches the spec", $"{at.Noun} matches the spec (ObserveOnly)");
    }

    private async Task<Outcome> DeleteAsync(T obj, Placed placed, CancellationToken ct)
    {
        if (obj.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) != true) return Outcome.Ended;
        if (await kind.BeforeDeleteAsync(obj, ct) is { } first) return first;

        // Nowhere to look (no cluster known, a region this operator does not manage): nothing in AWS is ours.
        if (placed.At is not { } at) return await RemoveFinalizerAsync(obj);
        if (Polling.IsObserveOnly(obj))
        {
            await s.Events.RecordAsync(obj, EventType.Normal, "Retained", $"{Capitalized(at.What)} left in place (ObserveOnly)", ct);
            return await RemoveFinalizerAsync(obj);
        }

        var ownedRole = kind.GivenRole(obj) is null ? kind.OwnedRole(obj, at) : null;
        if (kind.Retains(obj))
        {
            await s.Claims.ReleaseAsync(obj, Capitalized(at.What), obj.CommonStatus?.Arn, ownedRole?.Name, ct);
            return await RemoveFinalizerAsync(obj);
        }

        var observed = await kind.ReadForDeleteAsync(obj, at, ct);
        if (observed is not null && Claims.IsOurs(obj, kind.View(observed)))
        {
            kind.Observe(obj, observed);
            if (kind.View(observed).Lifecycle != Lifecycle.Deleting)
            {
                if (await kind.BeforeAwsDeleteAsync(obj, at, observed, ct) is { } blocked) return blocked;
                await kind.DeleteAsync(obj, at, observed, ct);
                await s.Events.RecordAsync(obj, EventType.Normal, "Deleting", $"{kind.DeleteOperation} sent for {at.Noun}", ct);
            }

            return new Outcome.Progress(ConditionReasons.Deleting, $"EKS is deleting {at.Noun}");
        }

        // Gone: the role the operator created (decided by its tags, not a status bit: a crash right after creating it
        // may have lost the status write), also when the spec has since moved to a named role, the kind's outputs, then
        // the finalizer.
        if ((ownedRole ?? kind.FormerOwnedRole(obj, at)) is { } roleToDelete) await s.Roles.DeleteAsync(roleToDelete, Claims.OwnerOf(obj), ct);
        await kind.AfterGoneAsync(obj, at, ct);
        await s.Events.RecordAsync(obj, EventType.Normal, "Deleted", $"{Capitalized(at.Noun)} is deleted", ct);
        return await RemoveFinalizerAsync(obj);
    }

    // Not cancellable: it commits a finished delete.
    private async Task<Outcome> RemoveFinalizerAsync(T obj)
    {
        await s.Finalizers.RemoveAsync(obj, OperatorApi.Finalizer, CancellationToken.None);
        return Outcome.Ended;
    }

    /// <summary>The one place where a step's outcome becomes conditions, an event and a requeue (the Stalled rule included).</summary>
    private async Task<ReconcileResult> ConcludeAsync(T obj, Outcome outcome, CancellationToken ct)
    {
        switch (outcome)
        {
            case Outcome.Progress progress:
                s.Conditions.Progressing(obj, progress.Reason, progress.Message);
                if (progress.Event is { } e) await s.Events.RecordAsync(obj, e.Type, e.Reason, e.Message, ct);
                return progress.After is { } after ? ReconcileResult.RequeueAfter(after) : progress.Wait switch
                {
                    Wait.Briefly => s.Polling.Soon,
                    Wait.ForDependency => ReconcileResult.Done,
                    _ => s.Polling.WhileChanging(obj),
                };
            case Outcome.Stall stall:
                s.Conditions.Stalled(obj, stall.Reason, stall.Message);
                return StallRule.Requeue(stall, s.Polling);
            case Outcome.Drifted drifted:
                s.Conditions.Drifted(obj, drifted.Message);
                return s.Polling.Resync;
            case Outcome.InSync synced:
                if (s.Conditions.Ready(obj, ConditionReasons.Available, synced.Message))
                {
                    await s.Events.RecordAsync(obj, EventType.Normal, "Ready", synced.ReadyEvent, ct);
                }

                return synced.LookAgainWithin is { } within && within < s.Polling.Options.ResyncPeriod ? ReconcileResult.RequeueAfter(within) : s.Polling.Resync;
            default:
                return ReconcileResult.Done;
        }
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>
/// The one rule for how long a Stalled object waits: a spec the user must fix ends the pass as a terminal error (the
/// pass frame does not look again before the object or its inputs change, or the resync); a world the user must fix
/// is looked at again after a few minutes.
/// </summary>
internal static class StallRule
{
    public static ReconcileResult Requeue(Outcome.Stall stall, Polling polling) => stall.Cause switch
    {
        StallCause.Spec => ReconcileResult.Terminal(stall.Message, reported: true),
        _ => polling.AfterStall,
    };
}
