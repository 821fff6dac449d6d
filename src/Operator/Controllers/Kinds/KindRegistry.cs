using EksOperator.Controllers.Kinds.AccessEntries;
using EksOperator.Controllers.Kinds.Addons;
using EksOperator.Controllers.Kinds.Capabilities;
using EksOperator.Controllers.Kinds.Clusters;
using EksOperator.Controllers.Kinds.FargateProfiles;
using EksOperator.Controllers.Kinds.NodeGroups;
using EksOperator.Controllers.Kinds.PodIdentityAssociations;
using EksOperator.Controllers.Loop;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Runtime;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace EksOperator.Controllers.Kinds;

/// <summary>
/// One kind the operator manages, and everything outside its adapter that depends on it: the verbs the operator
/// needs on its objects (config/rbac and the chart are checked against them), the durations its waits expect, the
/// AWS actions its adapter calls (the operator's IAM policy and the least-privilege proof are checked against them),
/// its sandbox table, and how it is wired into the controller runtime. Its Argo CD health entry is
/// <see cref="ArgoCdHealthKey"/>, checked in config/argocd/argocd-cm.yaml.
/// </summary>
internal sealed record KindRegistration(
    Type Entity,
    string Kind,
    string Plural,
    IReadOnlyList<string> KubernetesVerbs,
    Func<ExpectedDurations, IReadOnlyDictionary<string, TimeSpan>> ExpectedDurations,
    IReadOnlyList<string> AwsActions,
    IReadOnlyList<SandboxColumn> SandboxColumns,
    Func<string, IEksResource> FromJson,
    Func<IInformerCache, string, bool> HasUid,
    Action<ControllerRuntimeBuilder> Register,
    ClusterChild? ChildOfCluster = null)
{
    /// <summary>Verbs every kind needs on its own objects: informers list and watch, finalizers and ownerReferences are patches.</summary>
    public static IReadOnlyList<string> BaseVerbs { get; } = ["list", "watch", "patch"];

    /// <summary>The key of its health script in Argo CD's argocd-cm.</summary>
    public string ArgoCdHealthKey => $"resource.customizations.health.{Entities.OperatorApi.Group}_{Kind}";
}

/// <summary>A column of the sandbox's live table: its header and how a cell is read from the object.</summary>
internal sealed record SandboxColumn(string Header, Func<IEksResource, string?> Cell);

/// <summary>
/// The one list of kinds. Adding a kind means a folder under Kinds/ (entity adapter, registration) and one line here;
/// nothing else in the house changes (docs/architecture.md, "Adding a kind").
/// </summary>
internal static class KindRegistry
{
    public static IReadOnlyList<KindRegistration> All { get; } =
    [
        ClusterRegistration.Kind,
        NodeGroupRegistration.Kind,
        FargateProfileRegistration.Kind,
        AddonRegistration.Kind,
        AccessEntryRegistration.Kind,
        PodIdentityAssociationRegistration.Kind,
        CapabilityRegistration.Kind,
    ];

    /// <summary>
    /// Kinds with no AWS resource of their own that the operator reads and reports on: AwsIdentity (cluster-scoped,
    /// its RBAC in config/rbac/identity_role.yaml). They have CRDs and Argo CD health entries like the kinds above.
    /// </summary>
    public static IReadOnlyList<(string Kind, string Plural)> Supporting { get; } = [(AwsIdentity.KubeKind, Entities.OperatorApi.Plurals.AwsIdentities)];

    public static KindRegistration? For(Type entity) => All.FirstOrDefault(k => k.Entity == entity);

    /// <summary>Registers every kind's adapter and loop, and what all loops share.</summary>
    public static ControllerRuntimeBuilder AddKinds(this ControllerRuntimeBuilder runtime)
    {
        var services = runtime.Services;
        services.AddSingleton<StatusConditions>();
        services.AddSingleton<Polling>();
        services.AddSingleton<ReconcilePass>();
        services.AddSingleton<LiveObjects>();
        services.AddSingleton<UpdateTracker>();
        services.AddSingleton<Claims>();
        services.AddSingleton<OwnedRoles>();
        services.AddSingleton<LoopServices>();
        services.AddSingleton<ClusterDependents>();
        services.AddSingleton<Loop.Identities>();
        // Which account a namespace's objects use: AwsIdentity objects (cluster-scoped) and the namespaces' labels.
        runtime.AddResource<AwsIdentity>(new ResourceType(Entities.OperatorApi.Group, Entities.OperatorApi.Version, Entities.OperatorApi.Plurals.AwsIdentities, AwsIdentity.KubeKind, Namespaced: false));
        runtime.AddResource<V1Namespace>(new ResourceType("", "v1", "namespaces", "Namespace", Namespaced: false));
        runtime.AddController<AwsIdentity, Identities.AwsIdentityReconciler>(c => c.Watches<V1Namespace>((ns, cache) =>
            cache.GetStore<AwsIdentity>().Keys()));
        foreach (var kind in All)
        {
            kind.ChildOfCluster?.AddIndex(runtime);
            kind.Register(runtime);
        }

        return runtime;
    }

    /// <summary>An AWS-backed kind: its adapter (a singleton) and the one loop over it.</summary>
    public static ControllerRuntimeBuilder AddAwsKind<T, TAws, TKind>(this ControllerRuntimeBuilder runtime, Action<ControllerBuilder<T>>? configure = null)
        where T : class, IEksResource
        where TAws : class
        where TKind : AwsKind<T, TAws>
    {
        runtime.Services.AddSingleton<TKind>();
        runtime.Services.AddSingleton<AwsKind<T, TAws>>(sp => sp.GetRequiredService<TKind>());
        // An identity or a namespace's labels changing may change the account of every object of the namespaces involved.
        return runtime.AddController<T, AwsResourceLoop<T, TAws>>(c =>
        {
            c.Watches<AwsIdentity>((identity, cache) => ObjectsServedBy<T>(identity, cache));
            c.Watches<V1Namespace>((ns, cache) => cache.GetStore<T>().List(ns.Metadata.Name).Select(ObjectKey.From));
            configure?.Invoke(c);
        });
    }

    private static IEnumerable<ObjectKey> ObjectsServedBy<T>(AwsIdentity identity, IInformerCache cache)
        where T : class, IEksResource
    {
        return cache.GetStore<T>().List()
            .GroupBy(o => o.Metadata.NamespaceProperty ?? "", StringComparer.Ordinal)
            .Where(ns => Loop.Identities.Selects(identity.Spec.NamespaceSelector, ns.Key, Loop.Identities.LabelsOf(cache, ns.Key)))
            .SelectMany(ns => ns.Select(ObjectKey.From));
    }

    /// <summary>Whether an object of a kind with this UID is in the informer cache.</summary>
    public static bool HasUid<T>(IInformerCache cache, string uid)
        where T : class, IEksResource
        => cache.GetStore<T>().List().Any(o => o.Metadata.Uid == uid);
}
