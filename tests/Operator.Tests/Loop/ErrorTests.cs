using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>AWS errors by kind: retried, waited for, or Stalled for the world or the spec to change.</summary>
public sealed class ErrorTests
{
    private readonly Harness _h = new();

    public static TheoryData<AwsErrorKind, string, string, string?> Kinds => new()
    {
        // kind, Kstatus, message, requeue ("terminal" or a delay; null: whatever the wait computes)
        { AwsErrorKind.InUse, "Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", "waiting for AWS: busy", null },
        { AwsErrorKind.NotYetPropagated, "Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", "waiting for the new IAM role to propagate: busy", "00:00:05" },
        { AwsErrorKind.AccessDenied, "Ready=False/AccessDenied Reconciling=False/AccessDenied Stalled=True/AccessDenied", "AWS denied eks Code: busy (grant the operator's IAM role this permission)", "00:05:00" },
        { AwsErrorKind.LimitExceeded, "Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", "AWS quota: Code: busy (raise the quota or remove resources)", "00:05:00" },
        { AwsErrorKind.AlreadyExists, "Ready=False/AlreadyExists Reconciling=False/AlreadyExists Stalled=True/AlreadyExists", "AWS refused: Code: busy (delete what already holds it, or change the spec)", "00:05:00" },
        { AwsErrorKind.Invalid, "Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", "AWS rejected the request: Code: busy (change the spec)", "terminal" },
        { AwsErrorKind.Unknown, "Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", "AWS rejected the request: Code: busy", "00:05:00" },
        { AwsErrorKind.NotFound, "Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", "AWS rejected the request: Code: busy", "00:05:00" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_error_of_the_create_becomes_a_wait_or_a_stall_by_its_kind(AwsErrorKind kind, string kstatus, string message, string? requeue)
    {
        _h.Apply(Objects.Cluster());
        await _h.ReconcileAsync<EksCluster>("c1"); // finalizer
        _h.Eks.Fail("CreateCluster", kind, "Code", "busy");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(kstatus, cluster.Kstatus());
        Assert.Equal(message, cluster.Message());
        Assert.Null(_h.Eks.Cluster("c1"));
        switch (requeue)
        {
            case "terminal":
                Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
                Assert.Equal(message, result.Reason);
                Assert.True(result.Reported);
                break;
            case { } delay:
                Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.Parse(delay, System.Globalization.CultureInfo.InvariantCulture)), result);
                break;
            default:
                Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
                break;
        }

        var stalled = kstatus.Contains("Stalled=True", StringComparison.Ordinal);
        Assert.Equal(stalled ? 1 : 0, _h.Kube.Events.Count(e => e.Type == EventType.Warning));

        // The next pass, with AWS answering, creates it and clears the stall.
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.NotNull(_h.Eks.Cluster("c1"));
        Assert.Equal("Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", _h.Get<EksCluster>("c1").Kstatus());
    }

    [Theory]
    [InlineData(AwsErrorKind.Throttled)]
    [InlineData(AwsErrorKind.Transient)]
    public async Task Throttling_and_server_errors_are_a_routine_retry_that_never_stalls(AwsErrorKind kind)
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);
        _h.Eks.Fail("UpdateClusterConfig", kind, "ThrottlingException", "Rate exceeded");

        var error = await Assert.ThrowsAsync<RetryLaterException>(() => _h.ReconcileAsync<EksCluster>("c1"));

        Assert.Equal("AWS eks ThrottlingException (will retry): Rate exceeded", error.Message);
        Assert.Equal(kind, Assert.IsType<AwsApiException>(error.InnerException).Kind);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.False(cluster.Status!.Conditions.IsTrue(ConditionTypes.Stalled));
        Assert.DoesNotContain(_h.Kube.Events, e => e.Type == EventType.Warning);
        // A failed pass does not observe the generation.
        Assert.Equal(1, cluster.Status.ObservedGeneration);
        Assert.Equal(2, cluster.Metadata.Generation);
    }

    [Fact]
    public async Task A_stall_that_the_world_fixes_is_looked_at_again_and_cleared()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);
        _h.Eks.Fail("UpdateClusterConfig", AwsErrorKind.AccessDenied, "AccessDeniedException", "no eks:UpdateClusterConfig");

        var stalled = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(_h.Polling.AfterStall, stalled);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Stalled));

        // Nothing about the object changed: the requeue alone brings it back, and AWS now allows it.
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(2, _h.Eks.Calls.Count(c => c == "UpdateClusterConfig c1 spec.logging"));
        Assert.Equal("Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", _h.Get<EksCluster>("c1").Kstatus());
    }

    [Fact]
    public async Task A_downgrade_refusal_is_terminal_and_not_retried_until_the_spec_changes()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.32");

        var result = await _h.ReconcileAsync<EksCluster>("c1");
        var calls = _h.Eks.Calls.Count;
        _h.Time.Advance(TimeSpan.FromMinutes(9) - TimeSpan.FromSeconds(1));
        var again = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Equal(ReconcileResult.Done, again);
        Assert.Equal(calls, _h.Eks.Calls.Count);

        // Once the resync is nearly due (90 % of it) it is looked at again: the world may have changed.
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.True(_h.Eks.Calls.Count > calls);
    }
}
