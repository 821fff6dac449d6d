using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;
using Json.Schema;

namespace EksOperator.Aws.Resources;

/// <summary>Names of EKS add-ons the operator itself needs to know.</summary>
public static class AddonNames
{
    /// <summary>The add-on that gives pods their Pod Identity credentials.</summary>
    public const string PodIdentityAgent = "eks-pod-identity-agent";
}

/// <summary>The version an add-on's spec.version picks for a Kubernetes minor, or why none can be picked.</summary>
public sealed record AddonVersionChoice(string? Version, string ResolvedFrom, IReadOnlyList<string> Compatible, string? Refusal);

/// <summary>What the operator wants of an add-on in EKS's terms: the resolved version, JSON configuration and roles.</summary>
public sealed record AddonWanted(
    string AddonName,
    string Version,
    JsonObject? Configuration,
    string? ServiceAccountRoleArn,
    IReadOnlyList<AddonPodIdentityAssociationBody> PodIdentity,
    AddonResolveConflicts ResolveConflicts);

/// <summary>One UpdateAddon bringing the add-on to its spec, with what it corrects.</summary>
public sealed record AddonChange(IReadOnlyList<DriftEntry> Drift, UpdateAddonBody Body);

/// <summary>EKS add-ons, in the operator's terms.</summary>
public interface IEksAddons
{
    /// <summary>Whether the cluster runs the add-on (in any state but DELETING); false when the cluster does not exist.</summary>
    Task<bool> RunsAsync(string clusterName, string addonName, CancellationToken cancellationToken);

    Task<EksAddon?> FindAsync(string clusterName, string addonName, CancellationToken cancellationToken);

    /// <summary>spec.version (default, latest, or explicit) for the cluster's minor, from DescribeAddonVersions (cached for an hour).</summary>
    Task<AddonVersionChoice> ChooseVersionAsync(string addonName, string minor, string? requested, CancellationToken cancellationToken);

    /// <summary>
    /// Why the configuration values or Pod Identity service accounts do not fit the version (its schema, with the JSON
    /// path, and its pod identity configuration); null when they fit.
    /// </summary>
    Task<string?> ConfigurationProblemAsync(string addonName, string version, JsonObject? values, IReadOnlyList<string> podIdentityServiceAccounts, CancellationToken cancellationToken);

    Task<EksAddon> CreateAsync(string clusterName, AddonWanted wanted, Owner owner, IDictionary<string, string>? tags, CancellationToken cancellationToken);

    /// <summary>
    /// What differs, as one UpdateAddon (null: nothing). <paramref name="sentPodIdentity"/> is what was last sent for
    /// the owned associations: EKS reports only their ARNs.
    /// </summary>
    AddonChange? ChangeFor(AddonWanted wanted, EksAddon observed, IReadOnlyList<AddonPodIdentityAssociationBody>? sentPodIdentity);

    Task<Update> ApplyAsync(string clusterName, string addonName, AddonChange change, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string addonName, bool preserve, CancellationToken cancellationToken);
}

internal sealed class EksAddons(IEksAddonApi eks, TimeProvider time) : IEksAddons
{
    internal static readonly TimeSpan VersionsCacheFor = TimeSpan.FromHours(1);

    /// <summary>How many compatible versions status and messages show.</summary>
    private const int Shown = 5;

    private readonly ConcurrentDictionary<(string Addon, string Minor), (IReadOnlyList<EksAddonVersionInfo> Versions, DateTimeOffset At)> _versions = new();
    private readonly ConcurrentDictionary<(string Addon, string Version), EksAddonConfiguration> _configurations = new();

    public async Task<bool> RunsAsync(string clusterName, string addonName, CancellationToken cancellationToken) =>
        await eks.DescribeAddonAsync(clusterName, addonName, cancellationToken) is { Status: not "DELETING" };

    public Task<EksAddon?> FindAsync(string clusterName, string addonName, CancellationToken cancellationToken) => eks.DescribeAddonAsync(clusterName, addonName, cancellationToken);

    public async Task<AddonVersionChoice> ChooseVersionAsync(string addonName, string minor, string? requested, CancellationToken cancellationToken)
    {
        var (compatible, @default) = AddonMapping.ForMinor(await VersionsAsync(addonName, minor, cancellationToken), minor);
        var shown = compatible.Take(Shown).ToList();
        var rule = requested switch
        {
            null or AddonVersionRule.Default => AddonVersionRule.Default,
            AddonVersionRule.Latest => AddonVersionRule.Latest,
            _ => AddonVersionRule.Pinned,
        };
        if (compatible.Count == 0)
        {
            return new(null, rule, shown, $"EKS offers no version of add-on {addonName} for Kubernetes {minor}; check spec.name, or the add-on's support for this minor");
        }

        return rule switch
        {
            AddonVersionRule.Default => new(@default ?? compatible[0], rule, shown, null),
            AddonVersionRule.Latest => new(compatible[0], rule, shown, null),
            _ when compatible.Contains(requested!, StringComparer.Ordinal) => new(requested, rule, shown, null),
            _ => new(null, rule, shown,
                $"spec.version {requested} of add-on {addonName} is not compatible with Kubernetes {minor}; compatible versions: {string.Join(", ", shown)} (or use default or latest)"),
        };
    }

    public async Task<string?> ConfigurationProblemAsync(string addonName, string version, JsonObject? values, IReadOnlyList<string> podIdentityServiceAccounts, CancellationToken cancellationToken)
    {
        if (values is null && podIdentityServiceAccounts.Count == 0) return null;
        var configuration = await ConfigurationAsync(addonName, version, cancellationToken);
        if (podIdentityServiceAccounts.Count > 0)
        {
            var supported = (configuration.PodIdentityConfiguration ?? []).Select(p => p.ServiceAccount).OfType<string>().ToList();
            if (podIdentityServiceAccounts.FirstOrDefault(sa => !supported.Contains(sa, StringComparer.Ordinal)) is { } unsupported)
            {
                return supported.Count == 0
                    ? $"spec.podIdentityAssociations: add-on {addonName} {version} does not support Pod Identity; use spec.serviceAccountRoleArn (IRSA) instead"
                    : $"spec.podIdentityAssociations: service account {unsupported} is not one add-on {addonName} {version} supports for Pod Identity ({string.Join(", ", supported)})";
            }
        }

        if (values is null || string.IsNullOrWhiteSpace(configuration.ConfigurationSchema)) return null;
        var schema = JsonSchema.FromText(configuration.ConfigurationSchema);
        using var document = JsonDocument.Parse(values.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return null;
        var problems = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{JsonPath(d.InstanceLocation.ToString())}: {e.Value}"))
            .Distinct(StringComparer.Ordinal).Take(5).ToList();
        return $"spec.configurationValues does not fit the schema of add-on {addonName} {version}: {string.Join("; ", problems)}";
    }

    public Task<EksAddon> CreateAsync(string clusterName, AddonWanted wanted, Owner owner, IDictionary<string, string>? tags, CancellationToken cancellationToken) =>
        eks.CreateAddonAsync(clusterName, new CreateAddonBody
        {
            AddonName = wanted.AddonName,
            AddonVersion = wanted.Version,
            ConfigurationValues = AddonMapping.ConfigurationJson(wanted.Configuration),
            ServiceAccountRoleArn = wanted.ServiceAccountRoleArn,
            PodIdentityAssociations = wanted.PodIdentity.Count > 0 ? wanted.PodIdentity : null,
            ResolveConflicts = ClusterMapping.EnumName(wanted.ResolveConflicts),
            Tags = owner.TagsWith(tags),
            ClientRequestToken = owner.CreateToken("addon"),
        }, cancellationToken);

    public AddonChange? ChangeFor(AddonWanted wanted, EksAddon observed, IReadOnlyList<AddonPodIdentityAssociationBody>? sentPodIdentity)
    {
        var drift = new List<DriftEntry>();
        var body = new UpdateAddonBody { ResolveConflicts = ClusterMapping.EnumName(wanted.ResolveConflicts) }; // a write-time option, sent with every write
        if (observed.AddonVersion != wanted.Version)
        {
            drift.Add(new DriftEntry { Field = "spec.version", Desired = wanted.Version, Actual = observed.AddonVersion });
            body = body with { AddonVersion = wanted.Version };
        }

        if (AddonMapping.ConfigurationDiffers(wanted.Configuration, observed.ConfigurationValues))
        {
            drift.Add(new DriftEntry { Field = "spec.configurationValues", Desired = AddonMapping.ConfigurationJson(wanted.Configuration) ?? "(defaults)", Actual = observed.ConfigurationValues ?? "(defaults)" });
            body = body with { ConfigurationValues = AddonMapping.ConfigurationJson(wanted.Configuration) ?? "{}" }; // "{}" resets to EKS's defaults
        }

        // Unset means "not managed here": removing an IRSA role is not something UpdateAddon can express.
        if (wanted.ServiceAccountRoleArn is { } irsa && irsa != observed.ServiceAccountRoleArn)
        {
            drift.Add(new DriftEntry { Field = "spec.serviceAccountRoleArn", Desired = irsa, Actual = observed.ServiceAccountRoleArn ?? "(none)" });
            body = body with { ServiceAccountRoleArn = irsa };
        }

        // EKS reports the associations' ARNs, not their roles: what was sent is compared, and when that record is gone
        // (a status write lost to a crash or a conflict) only how many there are, rather than an UpdateAddon for nothing.
        var sent = Describe(sentPodIdentity ?? []);
        var desired = Describe(wanted.PodIdentity);
        if ((sentPodIdentity is not null && desired != sent) || wanted.PodIdentity.Count != (observed.PodIdentityAssociations?.Count ?? 0))
        {
            drift.Add(new DriftEntry { Field = "spec.podIdentityAssociations", Desired = desired, Actual = $"{observed.PodIdentityAssociations?.Count ?? 0} association(s): {sent}" });
            body = body with { PodIdentityAssociations = wanted.PodIdentity }; // the whole list; [] removes the owned ones
        }

        return drift.Count > 0 ? new AddonChange(drift, body) : null;
    }

    public Task<Update> ApplyAsync(string clusterName, string addonName, AddonChange change, CancellationToken cancellationToken) =>
        eks.UpdateAddonAsync(clusterName, addonName, change.Body, cancellationToken);

    public async Task DeleteAsync(string clusterName, string addonName, bool preserve, CancellationToken cancellationToken)
    {
        try
        {
            await eks.DeleteAddonAsync(clusterName, addonName, preserve, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            // Gone already: what deletion wanted.
        }
    }

    private async Task<IReadOnlyList<EksAddonVersionInfo>> VersionsAsync(string addonName, string minor, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((addonName, minor), out var cached) && time.GetUtcNow() - cached.At < VersionsCacheFor) return cached.Versions;
        var versions = await eks.DescribeAddonVersionsAsync(addonName, minor, cancellationToken);
        _versions[(addonName, minor)] = (versions, time.GetUtcNow());
        return versions;
    }

    // A version's schema never changes: kept for the life of the process.
    private async Task<EksAddonConfiguration> ConfigurationAsync(string addonName, string version, CancellationToken cancellationToken)
    {
        if (_configurations.TryGetValue((addonName, version), out var known)) return known;
        var configuration = await eks.DescribeAddonConfigurationAsync(addonName, version, cancellationToken);
        _configurations[(addonName, version)] = configuration;
        return configuration;
    }

    /// <summary>A JSON pointer (/env/WARM_ENI_TARGET) as EKS's messages write paths ($.env.WARM_ENI_TARGET).</summary>
    private static string JsonPath(string pointer) =>
        "$" + string.Concat(pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => "." + p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));

    private static string Describe(IEnumerable<AddonPodIdentityAssociationBody> associations) =>
        "[" + string.Join(",", associations.Select(a => $"{a.ServiceAccount}={a.RoleArn}").Order(StringComparer.Ordinal)) + "]";
}
