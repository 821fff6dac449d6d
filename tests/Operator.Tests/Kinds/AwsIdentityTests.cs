using EksOperator.Aws;
using EksOperator.Controllers.Kinds.Identities;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>An AwsIdentity's own status: assumed (account, session, namespaces served), or Stalled with what to fix.</summary>
public sealed class AwsIdentityTests
{
    private const string Role = "arn:aws:iam::222222222222:role/eks-operator-access";
    private readonly Harness _h = new();
    private readonly FakeSessions _sessions = new();

    private AwsIdentityReconciler Reconciler() =>
        new(_h.Kube.Store<AwsIdentity>(), _h.Services.Identities, _sessions, _h.Services.Pass, _h.Services.Conditions, _h.Polling, _h.Shards, _h.Time);

    private void Identity(string name, Action<AwsIdentitySpec>? configure = null)
    {
        var identity = new AwsIdentity
        {
            Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-{name}", Generation = 1 },
            Spec = new AwsIdentitySpec { RoleArn = Role, NamespaceSelector = new NamespaceSelector { MatchNames = ["shop", "absent"] } },
        };
        configure?.Invoke(identity.Spec);
        _h.Kube.Put(identity);
    }

    private AwsIdentity Get(string name) => _h.Kube.Store<AwsIdentity>().TryGet(new ObjectKey("", name), out var found) ? found : throw new InvalidOperationException(name);

    [Fact]
    public async Task An_assumed_identity_is_Ready_with_its_account_session_and_the_namespaces_that_exist()
    {
        _h.Kube.Put(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shop" } });
        Identity("shop", s =>
        {
            s.ExternalId = "ext-1";
            s.SessionName = "ops";
            s.SessionDurationSeconds = 1800;
        });

        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);

        var status = Get("shop").Status!;
        Assert.True(status.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal(ConditionReasons.Assumed, status.Conditions.Find(ConditionTypes.Ready)!.Reason);
        Assert.Equal($"Assumed {Role} (account 222222222222); serves shop", status.Conditions.Find(ConditionTypes.Ready)!.Message);
        Assert.Equal(("222222222222", "arn:aws:sts::222222222222:assumed-role/eks-operator-access/ops"), (status.AccountId, status.AssumedRoleArn));
        Assert.Equal(["shop"], status.Namespaces);
        Assert.Equal(_h.Time.GetUtcNow().UtcDateTime, status.LastAssumedTime);
        Assert.Equal(new AwsAssumedRole(Role, "ext-1", "ops", 1800), Assert.Single(_sessions.Assumed));
    }

    [Fact]
    public async Task A_session_that_did_not_change_does_not_move_lastAssumedTime()
    {
        Identity("shop");
        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);
        var first = Get("shop").Status!.LastAssumedTime;

        _h.Time.Advance(TimeSpan.FromMinutes(20));
        _h.Resync();
        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);

        Assert.Equal(first, Get("shop").Status!.LastAssumedTime);
        _sessions.Renew();
        _h.Resync();
        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);
        Assert.True(Get("shop").Status!.LastAssumedTime > first);
    }

    [Fact]
    public async Task A_refused_AssumeRole_is_Stalled_with_AWSs_words_and_what_to_fix()
    {
        Identity("shop", s => s.ExternalId = "wrong");
        _sessions.Refuse = new AwsApiException("sts", "AccessDenied", "User: arn:aws:iam::123456789012:user/operator is not authorized to perform: sts:AssumeRole", System.Net.HttpStatusCode.Forbidden, null, AwsErrorKind.AccessDenied);

        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);

        var stalled = Get("shop").Status!.Conditions.Find(ConditionTypes.Stalled)!;
        Assert.Equal((ConditionStatus.True, ConditionReasons.IdentityNotReady), (stalled.Status, stalled.Reason));
        Assert.StartsWith($"AWS refused AssumeRole of {Role}: AccessDenied: User: ", stalled.Message, StringComparison.Ordinal);
        Assert.EndsWith("must allow the operator's principal with this external id (see docs/iam.md)", stalled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_longer_than_five_is_Stalled_without_assuming_anything()
    {
        foreach (var i in Enumerable.Range(1, 6))
        {
            Identity($"hop{i}", s => s.SourceIdentityRef = i < 6 ? new IdentityReference { Name = $"hop{i + 1}" } : null);
        }

        await Reconciler().ReconcileAsync(new ObjectKey("", "hop1"), CancellationToken.None);
        await Reconciler().ReconcileAsync(new ObjectKey("", "hop2"), CancellationToken.None);

        Assert.Contains("loops or is longer than 5", Get("hop1").Status!.Conditions.Find(ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        Assert.True(Get("hop2").Status!.Conditions.IsTrue(ConditionTypes.Ready)); // five deep is allowed
        Assert.Equal(5, _sessions.Assumed.Single().Depth);
    }

    [Fact]
    public async Task Only_the_default_shard_writes_an_identitys_status()
    {
        Identity("shop");
        _h.Shards.Current = "a";

        await Reconciler().ReconcileAsync(new ObjectKey("", "shop"), CancellationToken.None);

        Assert.Null(Get("shop").Status);
        Assert.Empty(_sessions.Assumed);
    }

    private sealed class FakeSessions : IAwsSessions
    {
        private int _generation;

        public List<AwsAssumedRole> Assumed { get; } = [];

        public AwsApiException? Refuse { get; set; }

        public long AssumeRoleCalls => Assumed.Count;

        public void Renew() => _generation++;

        public Task<AwsSession> AssumeAsync(AwsAssumedRole role, CancellationToken cancellationToken)
        {
            if (Refuse is { } refused) throw refused;
            if (!Assumed.Contains(role)) Assumed.Add(role);
            var roleName = role.RoleArn[(role.RoleArn.LastIndexOf('/') + 1)..];
            return Task.FromResult(new AwsSession(role.AccountId, $"arn:aws:sts::{role.AccountId}:assumed-role/{roleName}/{role.SessionName}",
                new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(_generation)));
        }
    }
}
