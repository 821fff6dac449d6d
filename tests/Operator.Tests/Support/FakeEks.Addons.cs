using EksOperator.Aws;
using EksOperator.Aws.Eks;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// Add-ons of the in-memory EKS at the API level, with a catalogue (<see cref="Offer"/>) and the schemas of its
/// versions (<see cref="Configure"/>). CreateAddon makes a CREATING add-on (<see cref="ActivateAddon"/> flips it) and
/// the Pod Identity associations it is given, owned by it; UpdateAddon is an update with the add-on's name
/// (DescribeUpdate finds it only with that name), refused while the add-on is not ACTIVE; DeleteAddon leaves it
/// DELETING (<see cref="FinishDeletingAddon"/>), its owned associations go with it unless preserve.
/// </summary>
internal sealed partial class FakeEks : IEksAddonApi
{
    private readonly Dictionary<(string Cluster, string Name), EksAddon> _addons = [];
    private readonly Dictionary<(string Cluster, string Name), bool> _preserved = [];
    private readonly Dictionary<string, List<EksAddonVersionInfo>> _catalogue = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Addon, string Version), EksAddonConfiguration> _configurations = [];

    /// <summary>The bodies of the UpdateAddon calls, in order.</summary>
    public List<UpdateAddonBody> AddonUpdates { get; } = [];

    /// <summary>The bodies of the CreateAddon calls, in order.</summary>
    public List<CreateAddonBody> AddonCreates { get; } = [];

    public static string AddonArn(string cluster, string name) => $"arn:aws:eks:{Region}:{Account}:addon/{cluster}/{name}/0000";

    /// <summary>Publishes a version compatible with the given minors, EKS's default for those in <paramref name="defaultFor"/>.</summary>
    public void Offer(string addon, string version, string[] minors, params string[] defaultFor)
    {
        if (!_catalogue.TryGetValue(addon, out var versions)) _catalogue[addon] = versions = [];
        versions.Add(new EksAddonVersionInfo
        {
            AddonVersion = version,
            Compatibilities = [.. minors.Select(m => new EksAddonCompatibility { ClusterVersion = m, DefaultVersion = defaultFor.Contains(m), PlatformVersions = ["*"] })],
        });
    }

    public void Configure(string addon, string version, string? schema, params string[] podIdentityServiceAccounts) =>
        _configurations[(addon, version)] = new EksAddonConfiguration
        {
            AddonName = addon,
            AddonVersion = version,
            ConfigurationSchema = schema,
            PodIdentityConfiguration = [.. podIdentityServiceAccounts.Select(sa => new EksAddonPodIdentityConfiguration { ServiceAccount = sa })],
        };

    public EksAddon? Addon(string cluster, string name) => _addons.GetValueOrDefault((cluster, name));

    public void Seed(EksAddon addon) => _addons[(addon.ClusterName!, addon.AddonName!)] = addon;

    public void ChangeAddon(string cluster, string name, Func<EksAddon, EksAddon> change) => _addons[(cluster, name)] = change(_addons[(cluster, name)]);

    public void ActivateAddon(string cluster, string name) => ChangeAddon(cluster, name, a => a with { Status = "ACTIVE" });

    public void FinishDeletingAddon(string cluster, string name)
    {
        var addon = _addons[(cluster, name)];
        if (addon.Status != "DELETING") throw new InvalidOperationException($"add-on {name} is not DELETING");
        _addons.Remove((cluster, name));
        if (!_preserved.GetValueOrDefault((cluster, name))) RemoveOwnedAssociations(addon.AddonArn!);
    }

    // IEksAddonApi

    public Task<EksAddon> CreateAddonAsync(string clusterName, CreateAddonBody body, CancellationToken cancellationToken = default)
    {
        Call("CreateAddon", $"{clusterName}/{body.AddonName} {body.AddonVersion}");
        AddonCreates.Add(body);
        var cluster = Existing(clusterName);
        if (_addons.ContainsKey((clusterName, body.AddonName))) throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", "Addon already exists.");
        var version = body.AddonVersion ?? DefaultAddonVersion(body.AddonName, cluster.Version!);
        if (!Compatible(body.AddonName, version, cluster.Version!)) throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "Addon version specified is not supported");
        var arn = AddonArn(clusterName, body.AddonName);
        var addon = new EksAddon
        {
            AddonName = body.AddonName,
            ClusterName = clusterName,
            AddonArn = arn,
            AddonVersion = version,
            Status = "CREATING",
            ConfigurationValues = body.ConfigurationValues,
            ServiceAccountRoleArn = body.ServiceAccountRoleArn,
            Tags = body.Tags,
            PodIdentityAssociations = OwnedAssociations(clusterName, arn, body.PodIdentityAssociations),
            CreatedAt = time.GetUtcNow(),
        };
        _addons[(clusterName, body.AddonName)] = addon;
        return Task.FromResult(addon);
    }

    public Task<EksAddon?> DescribeAddonAsync(string clusterName, string addonName, CancellationToken cancellationToken = default)
    {
        Call("DescribeAddon", $"{clusterName}/{addonName}");
        return Task.FromResult(_addons.GetValueOrDefault((clusterName, addonName)));
    }

    public Task<Update> UpdateAddonAsync(string clusterName, string addonName, UpdateAddonBody body, CancellationToken cancellationToken = default)
    {
        var parts = new[]
        {
            body.AddonVersion is { } v ? $"version={v}" : null,
            body.ConfigurationValues is { } c ? $"configuration={c}" : null,
            body.ServiceAccountRoleArn is { } r ? $"serviceAccountRoleArn={r}" : null,
            body.PodIdentityAssociations is { } p ? $"podIdentity=[{string.Join(",", p.Select(a => a.ServiceAccount))}]" : null,
        };
        Call("UpdateAddon", $"{clusterName}/{addonName} {string.Join(" ", parts.OfType<string>())}");
        AddonUpdates.Add(body);
        var addon = _addons.GetValueOrDefault((clusterName, addonName))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No addon: {addonName} found in cluster: {clusterName}");
        if (addon.Status != "ACTIVE") throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Addon {addonName} is {addon.Status}");
        if (body.AddonVersion is { } version && !Compatible(addonName, version, Existing(clusterName).Version!))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "Addon version specified is not supported");
        }

        var update = NewUpdate("AddonUpdate");
        _updates[update.Id!] = new PendingUpdate(new Aws.Resources.UpdateTarget(clusterName, AddonName: addonName), update, null, null, a => a with
        {
            AddonVersion = body.AddonVersion ?? a.AddonVersion,
            ConfigurationValues = body.ConfigurationValues is { } values ? (values == "{}" ? null : values) : a.ConfigurationValues,
            ServiceAccountRoleArn = body.ServiceAccountRoleArn ?? a.ServiceAccountRoleArn,
            PodIdentityAssociations = body.PodIdentityAssociations is { } associations
                ? ReplaceOwnedAssociations(clusterName, a.AddonArn!, associations)
                : a.PodIdentityAssociations,
        });
        _addons[(clusterName, addonName)] = addon with { Status = "UPDATING" };
        return Task.FromResult(update);
    }

    public Task DeleteAddonAsync(string clusterName, string addonName, bool preserve, CancellationToken cancellationToken = default)
    {
        Call("DeleteAddon", $"{clusterName}/{addonName} preserve={(preserve ? "true" : "false")}");
        var addon = _addons.GetValueOrDefault((clusterName, addonName))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No addon: {addonName} found in cluster: {clusterName}");
        _addons[(clusterName, addonName)] = addon with { Status = "DELETING" };
        _preserved[(clusterName, addonName)] = preserve;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EksAddonVersionInfo>> DescribeAddonVersionsAsync(string addonName, string kubernetesVersion, CancellationToken cancellationToken = default)
    {
        Call("DescribeAddonVersions", $"{addonName} {kubernetesVersion}");
        return Task.FromResult<IReadOnlyList<EksAddonVersionInfo>>([.. (_catalogue.GetValueOrDefault(addonName) ?? [])
            .Where(v => v.Compatibilities!.Any(c => c.ClusterVersion == kubernetesVersion))]);
    }

    public Task<EksAddonConfiguration> DescribeAddonConfigurationAsync(string addonName, string addonVersion, CancellationToken cancellationToken = default)
    {
        Call("DescribeAddonConfiguration", $"{addonName} {addonVersion}");
        return Task.FromResult(_configurations.GetValueOrDefault((addonName, addonVersion))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No configuration for {addonName} {addonVersion}"));
    }

    private bool Compatible(string addon, string version, string minor) =>
        (_catalogue.GetValueOrDefault(addon) ?? []).Any(v => v.AddonVersion == version && v.Compatibilities!.Any(c => c.ClusterVersion == minor));

    private string DefaultAddonVersion(string addon, string minor) =>
        (_catalogue.GetValueOrDefault(addon) ?? []).FirstOrDefault(v => v.Compatibilities!.Any(c => c.ClusterVersion == minor && c.DefaultVersion == true))?.AddonVersion
        ?? throw Error(AwsErrorKind.Invalid, "InvalidParameterException", $"Addon {addon} specified is not supported in {minor} kubernetes version");

    private IReadOnlyList<string>? OwnedAssociations(string cluster, string addonArn, IReadOnlyList<AddonPodIdentityAssociationBody>? wanted)
    {
        if (wanted is not { Count: > 0 }) return null;
        foreach (var association in wanted) RoleMustExist(association.RoleArn);
        return [.. wanted.Select(w => Seed(new EksPodIdentityAssociation
        {
            ClusterName = cluster,
            Namespace = "kube-system",
            ServiceAccount = w.ServiceAccount,
            RoleArn = w.RoleArn,
            OwnerArn = addonArn,
            DisableSessionTags = false,
            Tags = new Dictionary<string, string>(),
            CreatedAt = time.GetUtcNow(),
        }).AssociationArn!)];
    }

    private IReadOnlyList<string>? ReplaceOwnedAssociations(string cluster, string addonArn, IReadOnlyList<AddonPodIdentityAssociationBody> wanted)
    {
        RemoveOwnedAssociations(addonArn);
        return OwnedAssociations(cluster, addonArn, wanted);
    }

    private void RemoveOwnedAssociations(string addonArn)
    {
        foreach (var key in _associations.Where(a => a.Value.OwnerArn == addonArn).Select(a => a.Key).ToList()) _associations.Remove(key);
    }

    private bool RetagAddon(string arn, Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> edited)
    {
        if (_addons.FirstOrDefault(a => a.Value.AddonArn == arn) is not { Value: { } addon } found) return false;
        _addons[found.Key] = addon with { Tags = edited(addon.Tags) };
        return true;
    }
}
