using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// The identity an object acts as: <see cref="Identity"/> null means the operator's own. <see cref="Refusal"/> when no
/// single identity may be used (two select the namespace, none does and one is required, a chain that does not hold).
/// </summary>
internal sealed record IdentityChoice(AwsIdentity? Identity, AwsAssumedRole? Role, string? Region, Outcome? Refusal = null)
{
    public static IdentityChoice Own { get; } = new(null, null, null);

    /// <summary>What status.identity shows.</summary>
    public IdentityInUse? InUse(string? ownAccount) =>
        Identity is { } identity ? new IdentityInUse { Name = identity.Metadata.Name, AccountId = Role?.AccountId }
        : ownAccount is null ? null : new IdentityInUse { AccountId = ownAccount };

    /// <summary>For the pass frame's fingerprint: a change of identity or of its role brings an in-sync object back.</summary>
    public string Key => Identity is null ? "" : $"{Identity.Metadata.Name}={Identity.Metadata.Generation}";
}

/// <summary>
/// Which AwsIdentity serves a namespace: the one whose namespaceSelector names it or matches its labels. Exactly one
/// is used; two or more make the object Stalled naming them, before any AWS call; none means the operator's own
/// identity, unless <c>Aws:RequireIdentity</c>. The object cannot choose: only its namespace counts, and only cluster
/// administrators write AwsIdentity objects.
/// </summary>
internal sealed class Identities(IInformerCache cache, AwsOptions options)
{
    /// <summary>AWS allows role chains of any depth, but a loop of sourceIdentityRefs must end somewhere.</summary>
    private const int MaxChain = 5;

    /// <summary>The account of the operator's own identity, when configured (Aws:AccountId).</summary>
    public string? OwnAccount => options.AccountId;

    /// <summary>The operator's configured region: the default of objects no identity gives one.</summary>
    public string OwnRegion => options.Region;

    public IdentityChoice For(IEksResource obj)
    {
        var ns = obj.Metadata.NamespaceProperty ?? "";
        var matches = Serving(ns);
        switch (matches.Count)
        {
            case 0 when options.RequireIdentity:
                return new IdentityChoice(null, null, null, new Outcome.Stall(ConditionReasons.IdentityRequired,
                    $"no AwsIdentity selects namespace {ns} and the operator runs with Aws:RequireIdentity=true; ask a cluster administrator for an AwsIdentity whose namespaceSelector selects it", StallCause.World));
            case 0:
                return IdentityChoice.Own;
            case > 1:
                return new IdentityChoice(null, null, null, new Outcome.Stall(ConditionReasons.IdentityConflict,
                    $"namespace {ns} is selected by AwsIdentity {string.Join(" and ", matches.Select(i => i.Metadata.Name))}; change their namespaceSelectors so that exactly one selects it", StallCause.World));
        }

        var identity = matches[0];
        var (role, problem) = RoleOf(identity);
        return problem is null
            ? new IdentityChoice(identity, role, identity.Spec.Region)
            : new IdentityChoice(identity, null, null, new Outcome.Stall(ConditionReasons.IdentityNotReady, problem, StallCause.World));
    }

    /// <summary>The identities whose selector takes <paramref name="ns"/>, by name.</summary>
    public IReadOnlyList<AwsIdentity> Serving(string ns)
    {
        var labels = LabelsOf(cache, ns);
        return [.. cache.GetStore<AwsIdentity>().List().Where(i => Selects(i.Spec.NamespaceSelector, ns, labels)).OrderBy(i => i.Metadata.Name, StringComparer.Ordinal)];
    }

    /// <summary>The labels of namespace <paramref name="ns"/> as the cache has them (null when it has not seen it).</summary>
    public static IDictionary<string, string>? LabelsOf(IInformerCache cache, string ns) =>
        cache.GetStore<V1Namespace>().TryGet(new ObjectKey("", ns), out var found) ? found.Metadata.Labels : null;

    /// <summary>The namespaces that exist and that <paramref name="identity"/> selects (for its status).</summary>
    public IReadOnlyList<string> Namespaces(AwsIdentity identity) =>
        [.. cache.GetStore<V1Namespace>().List().Where(n => Selects(identity.Spec.NamespaceSelector, n.Metadata.Name, n.Metadata.Labels))
            .Select(n => n.Metadata.Name).Order(StringComparer.Ordinal)];

    public static bool Selects(NamespaceSelector selector, string ns, IDictionary<string, string>? labels) =>
        selector.MatchNames?.Contains(ns) == true
        || (selector.MatchLabels is { Count: > 0 } wanted && labels is not null && wanted.All(w => labels.TryGetValue(w.Key, out var v) && v == w.Value));

    /// <summary>The role chain of <paramref name="identity"/>: its role, assumed from its source identity's session, if any.</summary>
    public (AwsAssumedRole? Role, string? Problem) RoleOf(AwsIdentity identity)
    {
        var chain = new List<AwsIdentity> { identity };
        while (chain[^1].Spec.SourceIdentityRef is { Name: var source })
        {
            if (chain.Count >= MaxChain || chain.Exists(i => i.Metadata.Name == source))
            {
                return (null, $"AwsIdentity {identity.Metadata.Name}: its sourceIdentityRef chain ({string.Join(" -> ", chain.Select(i => i.Metadata.Name))} -> {source}) loops or is longer than {MaxChain}; fix spec.sourceIdentityRef");
            }

            if (!cache.GetStore<AwsIdentity>().TryGet(new ObjectKey("", source), out var next))
            {
                return (null, $"AwsIdentity {chain[^1].Metadata.Name}: spec.sourceIdentityRef names AwsIdentity {source}, which does not exist");
            }

            chain.Add(next);
        }

        AwsAssumedRole? role = null;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var spec = chain[i].Spec;
            role = new AwsAssumedRole(spec.RoleArn, spec.ExternalId, spec.SessionName ?? "eks-operator", spec.SessionDurationSeconds ?? 3600, role);
        }

        return (role, null);
    }
}
