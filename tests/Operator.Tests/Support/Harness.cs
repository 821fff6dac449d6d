using EksOperator.Aws;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Kinds;
using EksOperator.Controllers.Kinds.AccessEntries;
using EksOperator.Controllers.Kinds.Addons;
using EksOperator.Controllers.Kinds.Capabilities;
using EksOperator.Controllers.Kinds.Clusters;
using EksOperator.Controllers.Kinds.FargateProfiles;
using EksOperator.Controllers.Kinds.NodeGroups;
using EksOperator.Controllers.Kinds.PodIdentityAssociations;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Runtime;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;
using AwsCluster = EksOperator.Aws.Eks.Cluster;
using EksAddon = EksOperator.Aws.Eks.EksAddon;
using EksCapability = EksOperator.Aws.Eks.EksCapability;
using EksPodIdentityAssociation = EksOperator.Aws.Eks.EksPodIdentityAssociation;
using AwsNodegroup = EksOperator.Aws.Eks.Nodegroup;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// The loops wired as the operator wires them, over the in-memory Kubernetes (<see cref="KubeWorld"/>), EKS
/// (<see cref="FakeEks"/>; the access-entry, Pod Identity and add-on kinds through the real intent classes over its
/// API-level fakes) and IAM, with a fake clock. Objects live in namespace "default".
/// </summary>
internal sealed class Harness
{
    public const string Ns = "default";

    public Harness(Action<OperatorOptions>? configure = null, WorkloadRolePolicy? rolePolicy = null, AwsOptions? aws = null)
    {
        RolePolicy = rolePolicy ?? WorkloadRolePolicy.Default;
        var options = new OperatorOptions();
        configure?.Invoke(options);
        Options = options;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        Kube = new KubeWorld(Time);
        Eks = new FakeEks(Time) { RoleExists = Iam.Exists };
        Tokens = new FakeTokens(Time);
        var conditions = new StatusConditions(Time);
        Polling = new Polling(Microsoft.Extensions.Options.Options.Create(options), Time);
        var live = new LiveObjects(Kube);
        var updates = new UpdateTracker(Eks, Kube);
        Shards = new FakeShards(Kube);
        Services = new LoopServices(
            new ReconcilePass(Kube, Kube, conditions, Polling, Time, Shards), conditions, Polling, Kube, Kube, Iam, Eks, updates,
            new Claims(Kube, Eks, Iam, Kube, live, Time), new OwnedRoles(Iam, live), new Identities(Kube, aws ?? new AwsOptions { Region = options.Region }));
        var dependents = new ClusterDependents(Kube.Store<EksCluster>(), Kube, Polling, Time);
        AddonIntents = new EksAddons(Eks, Time);
        ClusterKind = new ClusterKind(
            Eks,
            new ClusterUpgrade(Kube.Store<ManagedNodeGroup>(), Kube.Store<Addon>(), Eks, Versions, new UpgradePreflight(new EksUpgradeReadiness(Eks), AddonIntents, Time), Kube),
            new ClusterChildren(Kube, Kube),
            new KubeconfigWriter(Kube, Tokens, Polling, Time),
            new AutoModeRoles(Iam, live),
            new ClusterOidcProvider(Oidc, live, Kube),
            updates,
            Kube,
            Polling);
        Clusters = new AwsResourceLoop<EksCluster, AwsCluster>(Kube.Store<EksCluster>(), ClusterKind, Services);
        NodeGroups = new AwsResourceLoop<ManagedNodeGroup, AwsNodegroup>(Kube.Store<ManagedNodeGroup>(), new NodeGroupKind(Eks, dependents), Services);
        Profiles = new AwsResourceLoop<FargateProfile, AwsProfile>(
            Kube.Store<FargateProfile>(), new FargateProfileKind(Eks, dependents, Services.OwnedRoles, Kube), Services);
        AccessEntries = new AwsResourceLoop<AccessEntry, AccessEntryState>(
            Kube.Store<AccessEntry>(), new AccessEntryKind(new EksAccessEntries(Eks), dependents), Services);
        PodIdentity = new AwsResourceLoop<PodIdentityAssociation, EksPodIdentityAssociation>(
            Kube.Store<PodIdentityAssociation>(),
            new PodIdentityAssociationKind(new EksPodIdentityAssociations(Eks), AddonIntents, dependents, Services.OwnedRoles, RolePolicy, Kube),
            Services);
        Addons = new AwsResourceLoop<Addon, EksAddon>(Kube.Store<Addon>(), new AddonKind(AddonIntents, dependents, Iam, live, RolePolicy, Kube.Store<Addon>()), Services);
        Capabilities = new AwsResourceLoop<Capability, EksCapability>(
            Kube.Store<Capability>(), new CapabilityKind(new EksCapabilities(Eks), dependents, Services.OwnedRoles, RolePolicy), Services);
    }

    public AwsResourceLoop<Capability, EksCapability> Capabilities { get; }

    public WorkloadRolePolicy RolePolicy { get; }

    /// <summary>The add-on intents the Addon and PodIdentityAssociation loops share (with their version and schema caches).</summary>
    public IEksAddons AddonIntents { get; }

    public AwsResourceLoop<AccessEntry, AccessEntryState> AccessEntries { get; }

    public AwsResourceLoop<PodIdentityAssociation, EksPodIdentityAssociation> PodIdentity { get; }

    public AwsResourceLoop<Addon, EksAddon> Addons { get; }

    public OperatorOptions Options { get; }

    /// <summary>This replica's shard (default) and the other shards' Leases.</summary>
    public FakeShards Shards { get; }

    public FakeTimeProvider Time { get; }

    public KubeWorld Kube { get; }

    public FakeEks Eks { get; }

    public FakeIam Iam { get; } = new();

    public FakeOidcProviders Oidc { get; } = new();

    public FakeVersions Versions { get; } = new();

    public FakeTokens Tokens { get; }

    public Polling Polling { get; }

    public LoopServices Services { get; }

    public ClusterKind ClusterKind { get; }

    public AwsResourceLoop<EksCluster, AwsCluster> Clusters { get; }

    public AwsResourceLoop<ManagedNodeGroup, AwsNodegroup> NodeGroups { get; }

    public AwsResourceLoop<FargateProfile, AwsProfile> Profiles { get; }

    public List<string> AllWrites => [.. Eks.Writes, .. Iam.Calls.Where(c => !c.StartsWith("EnsureRole", StringComparison.Ordinal))];

    // Objects as a user applies them.

    public T Apply<T>(T obj)
        where T : class, IEksResource
    {
        obj.Metadata.NamespaceProperty ??= Ns;
        obj.Metadata.Uid ??= $"uid-{obj.Metadata.Name}";
        obj.Metadata.Generation ??= 1;
        obj.Metadata.CreationTimestamp ??= Time.GetUtcNow().UtcDateTime;
        return Kube.Put(obj);
    }

    public T Get<T>(string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Kube.Store<T>().TryGet(new ObjectKey(Ns, name), out var found) ? found : throw new InvalidOperationException($"{typeof(T).Name} {name} is gone");

    public bool Exists<T>(string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Kube.Store<T>().TryGet(new ObjectKey(Ns, name), out _);

    /// <summary>A spec change: a new generation.</summary>
    public T Edit<T>(string name, Action<T> edit)
        where T : class, IEksResource
    {
        var copy = Get<T>(name).DeepCopy();
        edit(copy);
        copy.Metadata.Generation = (copy.Metadata.Generation ?? 0) + 1;
        return Kube.Put(copy);
    }

    /// <summary>A metadata change (annotations, labels): no new generation.</summary>
    public T Annotate<T>(string name, string key, string? value)
        where T : class, IEksResource
    {
        var copy = Get<T>(name).DeepCopy();
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        if (value is null) copy.Metadata.Annotations.Remove(key);
        else copy.Metadata.Annotations[key] = value;
        return Kube.Put(copy);
    }

    /// <summary>Status as someone else (another reconciler) writes it.</summary>
    public void SetStatus<T>(string name, Action<T> edit)
        where T : class, IEksResource
    {
        var copy = Get<T>(name).DeepCopy();
        edit(copy);
        Kube.Put(copy);
    }

    public Task DeleteAsync<T>(string name)
        where T : class, IEksResource
        => Kube.DeleteAsync<T>(new ObjectKey(Ns, name), CancellationToken.None);

    public Task<ReconcileResult> ReconcileAsync<T>(string name)
        where T : class, IEksResource
    {
        var key = new ObjectKey(Ns, name);
        return typeof(T) == typeof(EksCluster) ? Clusters.ReconcileAsync(key, CancellationToken.None)
            : typeof(T) == typeof(ManagedNodeGroup) ? NodeGroups.ReconcileAsync(key, CancellationToken.None)
            : typeof(T) == typeof(AccessEntry) ? AccessEntries.ReconcileAsync(key, CancellationToken.None)
            : typeof(T) == typeof(PodIdentityAssociation) ? PodIdentity.ReconcileAsync(key, CancellationToken.None)
            : typeof(T) == typeof(Addon) ? Addons.ReconcileAsync(key, CancellationToken.None)
            : typeof(T) == typeof(Capability) ? Capabilities.ReconcileAsync(key, CancellationToken.None)
            : Profiles.ReconcileAsync(key, CancellationToken.None);
    }

    /// <summary>Passes until one does not end after a finalizer write (which in the operator brings the object back at once).</summary>
    public async Task<ReconcileResult> SettleAsync<T>(string name)
        where T : class, IEksResource
    {
        for (var i = 0; i < 5; i++)
        {
            var finalizers = Exists<T>(name) ? string.Join(",", Get<T>(name).Metadata.Finalizers ?? []) : null;
            var result = await ReconcileAsync<T>(name);
            var after = Exists<T>(name) ? string.Join(",", Get<T>(name).Metadata.Finalizers ?? []) : null;
            if (result.Outcome != ReconcileOutcome.Done || finalizers == after) return result;
        }

        throw new InvalidOperationException("no pass settled");
    }

    /// <summary>
    /// The resync is due: an in-sync object is read from AWS again (before it, a pass with nothing changed in
    /// Kubernetes is skipped), as when something changed in AWS behind the operator's back.
    /// </summary>
    public void Resync() => Time.Advance(Options.ResyncPeriod);

    /// <summary>Forgets the calls and events so far: what a test asserts starts from the state it was given.</summary>
    public void Forget()
    {
        Eks.Calls.Clear();
        Eks.Targets.Clear();
        Iam.Calls.Clear();
        Oidc.Calls.Clear();
        Kube.Events.Clear();
    }

    /// <summary>A cluster object and its EKS cluster, ACTIVE and in sync, as after a create.</summary>
    public async Task<EksCluster> ActiveClusterAsync(string name = "c1", Action<EksCluster>? configure = null)
    {
        var cluster = Objects.Cluster(name);
        configure?.Invoke(cluster);
        Apply(cluster);
        await SettleAsync<EksCluster>(name);
        Eks.Activate(ClusterKind.AwsName(cluster));
        var result = await ReconcileAsync<EksCluster>(name);
        if (!Get<EksCluster>(name).Status!.Conditions.IsTrue(ConditionTypes.Ready))
        {
            throw new InvalidOperationException($"cluster {name} is not Ready: {result}");
        }

        Forget();
        return Get<EksCluster>(name);
    }

    /// <summary>A node group on an ACTIVE cluster, created and ACTIVE.</summary>
    public async Task<ManagedNodeGroup> ActiveNodeGroupAsync(string name = "ng1", string cluster = "c1", Action<ManagedNodeGroup>? configure = null)
    {
        var ng = Objects.NodeGroup(name, cluster);
        configure?.Invoke(ng);
        Apply(ng);
        await SettleAsync<ManagedNodeGroup>(name);
        Eks.ActivateNodegroup(Get<ManagedNodeGroup>(name).Status!.ClusterName!, ng.Spec.Name ?? name);
        await ReconcileAsync<ManagedNodeGroup>(name);
        Forget();
        return Get<ManagedNodeGroup>(name);
    }
}

/// <summary>Objects as a user writes them.</summary>
internal static class Objects
{
    public static EksCluster Cluster(string name = "c1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new EksClusterSpec
        {
            Version = "1.33",
            Vpc = new ClusterVpc { SubnetIds = ["subnet-0aaa0001", "subnet-0bbb0002"] },
        },
    };

    public static ManagedNodeGroup NodeGroup(string name = "ng1", string cluster = "c1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new ManagedNodeGroupSpec
        {
            ClusterRef = new ClusterReference { Name = cluster },
            Scaling = new NodeGroupScaling { MinSize = 1, MaxSize = 3, DesiredSize = 2 },
        },
    };

    public static FargateProfile Profile(string name = "fp1", string cluster = "c1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new FargateProfileSpec
        {
            ClusterRef = new ClusterReference { Name = cluster },
            SubnetIds = ["subnet-0aaa0001"],
            Selectors = [new FargateSelector { Namespace = "apps" }],
        },
    };
}

/// <summary>Reading conditions in assertions.</summary>
internal static class Status
{
    public static V1Condition Condition(this IEksResource obj, string type) =>
        obj.CommonStatus?.Conditions.Find(type) ?? throw new InvalidOperationException($"no {type} condition");

    /// <summary>"Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled".</summary>
    public static string Kstatus(this IEksResource obj) =>
        string.Join(' ', new[] { ConditionTypes.Ready, ConditionTypes.Reconciling, ConditionTypes.Stalled }
            .Select(t => obj.CommonStatus?.Conditions.Find(t) is { } c ? $"{t}={c.Status}/{c.Reason}" : $"{t}=-"));

    public static string Message(this IEksResource obj, string type = ConditionTypes.Ready) => obj.Condition(type).Message;

    public static string Reason(this IEksResource obj, string type = ConditionTypes.Ready) => obj.Condition(type).Reason;
}

internal static class Variations
{
    /// <summary>Changes an object in place and returns it, for one-line variations of <see cref="Objects"/>.</summary>
    public static T With<T>(this T obj, Action<T> change)
    {
        change(obj);
        return obj;
    }
}
