using EksOperator.Aws;
using EksOperator.Aws.Eks;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// Capabilities of the in-memory EKS at the API level. CreateCapability makes a CREATING capability
/// (<see cref="ActivateCapability"/> flips it) with EKS's own members filled in (namespace argocd, the Identity Center
/// region and application, the server URL); UpdateCapability is an update with the capability's name, refused while it
/// is not ACTIVE, applied by <see cref="CompleteUpdate"/> (removals, then each added role's identities replace its
/// own); DeleteCapability leaves it DELETING (<see cref="FinishDeletingCapability"/>).
/// </summary>
internal sealed partial class FakeEks : IEksCapabilityApi
{
    private readonly Dictionary<(string Cluster, string Name), EksCapability> _capabilities = [];

    /// <summary>The bodies of the UpdateCapability calls, in order.</summary>
    public List<UpdateCapabilityBody> CapabilityUpdates { get; } = [];

    /// <summary>The bodies of the CreateCapability calls, in order.</summary>
    public List<CreateCapabilityBody> CapabilityCreates { get; } = [];

    public static string CapabilityArn(string cluster, string type, string name) => $"arn:aws:eks:{Region}:{Account}:capability/{cluster}/{type.ToLowerInvariant()}/{name}/c0ffee";

    public EksCapability? Capability(string cluster, string name) => _capabilities.GetValueOrDefault((cluster, name));

    public void Seed(EksCapability capability) => _capabilities[(capability.ClusterName!, capability.CapabilityName!)] = capability;

    public void ChangeCapability(string cluster, string name, Func<EksCapability, EksCapability> change) =>
        _capabilities[(cluster, name)] = change(_capabilities[(cluster, name)]);

    public void ActivateCapability(string cluster, string name) => ChangeCapability(cluster, name, c => c with { Status = "ACTIVE" });

    public void FinishDeletingCapability(string cluster, string name)
    {
        if (_capabilities[(cluster, name)].Status != "DELETING") throw new InvalidOperationException($"capability {name} is not DELETING");
        _capabilities.Remove((cluster, name));
    }

    // IEksCapabilityApi

    public Task<EksCapability> CreateCapabilityAsync(string clusterName, CreateCapabilityBody body, CancellationToken cancellationToken = default)
    {
        Call("CreateCapability", $"{clusterName}/{body.CapabilityName} {body.Type} {body.RoleArn}");
        CapabilityCreates.Add(body);
        Existing(clusterName);
        if (_capabilities.ContainsKey((clusterName, body.CapabilityName))) throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", "Capability already exists.");
        RoleMustExist(body.RoleArn);
        var argoCd = body.Configuration?.ArgoCd;
        var capability = new EksCapability
        {
            CapabilityName = body.CapabilityName,
            ClusterName = clusterName,
            Arn = CapabilityArn(clusterName, body.Type, body.CapabilityName),
            Type = body.Type,
            RoleArn = body.RoleArn,
            Status = "CREATING",
            Version = body.Type == "KRO" ? "v0.6.3" : body.Type == "ARGOCD" ? "3.1.8-eks-1" : null,
            Configuration = argoCd is null ? new EksCapabilityConfiguration() : new EksCapabilityConfiguration
            {
                ArgoCd = argoCd with
                {
                    Namespace = argoCd.Namespace ?? "argocd",
                    AwsIdc = argoCd.AwsIdc! with { IdcRegion = argoCd.AwsIdc!.IdcRegion ?? Region, IdcManagedApplicationArn = $"arn:aws:sso::{Account}:application/ssoins-x/apl-1" },
                    RbacRoleMappings = argoCd.RbacRoleMappings ?? [],
                    ServerUrl = "https://argocd.example",
                },
            },
            Tags = body.Tags,
            DeletePropagationPolicy = body.DeletePropagationPolicy,
            Health = new Health { Issues = [] },
            CreatedAt = time.GetUtcNow(),
        };
        _capabilities[(clusterName, body.CapabilityName)] = capability;
        return Task.FromResult(capability);
    }

    public Task<EksCapability?> DescribeCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default)
    {
        Call("DescribeCapability", $"{clusterName}/{capabilityName}");
        return Task.FromResult(_capabilities.GetValueOrDefault((clusterName, capabilityName)));
    }

    public Task<Update?> UpdateCapabilityAsync(string clusterName, string capabilityName, UpdateCapabilityBody body, CancellationToken cancellationToken = default)
    {
        var argoCd = body.Configuration?.ArgoCd;
        var parts = new[]
        {
            body.RoleArn is { } r ? $"role={r}" : null,
            argoCd?.RbacRoleMappings?.AddOrUpdateRoleMappings is { } add ? $"add=[{Text(add)}]" : null,
            argoCd?.RbacRoleMappings?.RemoveRoleMappings is { } remove ? $"remove=[{Text(remove)}]" : null,
            argoCd?.NetworkAccess is { } network ? $"vpce=[{string.Join(",", network.VpceIds ?? [])}]" : null,
        };
        Call("UpdateCapability", $"{clusterName}/{capabilityName} {string.Join(" ", parts.OfType<string>())}");
        CapabilityUpdates.Add(body);
        var capability = _capabilities.GetValueOrDefault((clusterName, capabilityName))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No capability found with name: {capabilityName}");
        if (capability.Status != "ACTIVE") throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Capability {capabilityName} is {capability.Status}");
        if (body.RoleArn is { } role) RoleMustExist(role);
        var update = NewUpdate("CapabilityUpdate");
        _updates[update.Id!] = new PendingUpdate(new Aws.Resources.UpdateTarget(clusterName, CapabilityName: capabilityName), update, null, null, ApplyCapability: c => c with
        {
            RoleArn = body.RoleArn ?? c.RoleArn,
            Configuration = argoCd is null || c.Configuration?.ArgoCd is not { } current ? c.Configuration : new EksCapabilityConfiguration
            {
                ArgoCd = current with
                {
                    RbacRoleMappings = argoCd.RbacRoleMappings is { } mappings ? Applied(current.RbacRoleMappings ?? [], mappings) : current.RbacRoleMappings,
                    NetworkAccess = argoCd.NetworkAccess ?? current.NetworkAccess,
                },
            },
        });
        _capabilities[(clusterName, capabilityName)] = capability with { Status = "UPDATING" };
        return Task.FromResult<Update?>(update);
    }

    public Task DeleteCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default)
    {
        Call("DeleteCapability", $"{clusterName}/{capabilityName}");
        var capability = _capabilities.GetValueOrDefault((clusterName, capabilityName))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No capability found with name: {capabilityName}");
        _capabilities[(clusterName, capabilityName)] = capability with { Status = "DELETING" };
        return Task.CompletedTask;
    }

    private static IReadOnlyList<EksArgoCdRoleMapping> Applied(IReadOnlyList<EksArgoCdRoleMapping> current, UpdateRoleMappings change)
    {
        var result = current.ToDictionary(m => m.Role, m => m.Identities.ToList(), StringComparer.Ordinal);
        foreach (var removed in change.RemoveRoleMappings ?? [])
        {
            if (!result.TryGetValue(removed.Role, out var held)) continue;
            held.RemoveAll(removed.Identities.Contains);
            if (held.Count == 0) result.Remove(removed.Role);
        }

        foreach (var added in change.AddOrUpdateRoleMappings ?? []) result[added.Role] = [.. added.Identities];
        return [.. result.Select(r => new EksArgoCdRoleMapping(r.Key, r.Value))];
    }

    private static string Text(IEnumerable<EksArgoCdRoleMapping> mappings) =>
        string.Join(";", mappings.Select(m => $"{m.Role}:{string.Join(",", m.Identities.Select(i => i.Id))}"));

    private bool RetagCapability(string arn, Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> edited)
    {
        if (_capabilities.FirstOrDefault(c => c.Value.Arn == arn) is not { Value: { } capability } found) return false;
        _capabilities[found.Key] = capability with { Tags = edited(capability.Tags) };
        return true;
    }
}
