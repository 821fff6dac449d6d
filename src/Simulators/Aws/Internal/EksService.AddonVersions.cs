using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>The add-on catalogue: DescribeAddonVersions and DescribeAddonConfiguration, which no cluster scopes (reference §1.3, §1.4).</summary>
internal sealed partial class EksService
{
    private static readonly string[] Architectures = ["amd64", "arm64"];

    /// <summary>Filters are ANDed; the list filters match any of their values; paging counts add-ons, not versions; no match is an empty list.</summary>
    private JsonObject DescribeAddonVersions(IReadOnlyDictionary<string, List<string>> query)
    {
        var kubernetesVersion = query.GetValueOrDefault("kubernetesVersion")?[0];
        var name = query.GetValueOrDefault("addonName")?[0];
        var types = query.GetValueOrDefault("types");
        var publishers = query.GetValueOrDefault("publishers");
        var owners = query.GetValueOrDefault("owners");
        var matching = world.Addons.Addons.Where(a =>
            (name is null || a.Name == name)
            && (types is null || types.Contains(a.Type, StringComparer.Ordinal))
            && (publishers is null || publishers.Contains(a.Publisher, StringComparer.Ordinal))
            && (owners is null || owners.Contains(a.Owner, StringComparer.Ordinal))
            && (kubernetesVersion is null || a.Versions.Any(v => v.CompatibleWith(kubernetesVersion)))).Select(a => a.Name).ToList();
        var (page, next) = Page(matching, query);
        var addons = new JsonArray();
        foreach (var definition in page.Select(n => world.Addons.Find(n)!))
        {
            addons.Add(AddonInfoJson(definition, kubernetesVersion));
        }

        var o = new JsonObject { ["addons"] = addons };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private JsonObject DescribeAddonConfiguration(IReadOnlyDictionary<string, List<string>> query)
    {
        var name = query.GetValueOrDefault("addonName")?[0] ?? throw AwsErrorException.InvalidParameter("addonName is required.");
        var version = query.GetValueOrDefault("addonVersion")?[0] ?? throw AwsErrorException.InvalidParameter("addonVersion is required.");
        // Unconfirmed: which of its modelled errors EKS answers for an unknown name and for an unknown version.
        var definition = world.Addons.Find(name)
            ?? throw new AwsErrorException(404, "ResourceNotFoundException", $"No addon found for name: {name}") { AddonName = name };
        var entry = definition.Find(version)
            ?? throw new AwsErrorException(400, "InvalidParameterException", "Addon version specified is not supported") { AddonName = name };
        var podIdentity = new JsonArray();
        foreach (var p in entry.PodIdentity)
        {
            podIdentity.Add(new JsonObject { ["serviceAccount"] = p.ServiceAccount, ["recommendedManagedPolicies"] = Json.Array(p.RecommendedManagedPolicies) });
        }

        return new JsonObject
        {
            ["addonName"] = name,
            ["addonVersion"] = version,
            ["configurationSchema"] = definition.ConfigurationSchema,
            ["podIdentityConfiguration"] = podIdentity,
        };
    }

    /// <summary>With a Kubernetes version, only the versions for it are listed, each with that one compatibility (as in the UG's example).</summary>
    private static JsonObject AddonInfoJson(AddonDefinition definition, string? kubernetesVersion)
    {
        var versions = new JsonArray();
        foreach (var v in definition.Versions.Where(v => kubernetesVersion is null || v.CompatibleWith(kubernetesVersion)))
        {
            var compatibilities = new JsonArray();
            foreach (var clusterVersion in kubernetesVersion is null ? v.ClusterVersions : [kubernetesVersion])
            {
                compatibilities.Add(new JsonObject
                {
                    ["clusterVersion"] = clusterVersion,
                    ["platformVersions"] = Json.Array(["*"]),
                    ["defaultVersion"] = v.IsDefaultFor(clusterVersion),
                });
            }

            versions.Add(new JsonObject
            {
                ["addonVersion"] = v.Version,
                ["architecture"] = Json.Array(Architectures),
                ["computeTypes"] = Json.Array(v.ComputeTypes),
                ["compatibilities"] = compatibilities,
                ["requiresConfiguration"] = false,
                ["requiresIamPermissions"] = v.RequiresIamPermissions,
            });
        }

        return new JsonObject
        {
            ["addonName"] = definition.Name,
            ["type"] = definition.Type,
            ["addonVersions"] = versions,
            ["publisher"] = definition.Publisher,
            ["owner"] = definition.Owner,
            ["defaultNamespace"] = definition.DefaultNamespace,
        };
    }
}
