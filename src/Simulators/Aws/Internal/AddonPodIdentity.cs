using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Parsing and the catalogue checks of an add-on's podIdentityAssociations (reference §1.8). The associations themselves
/// live in the cluster's Pod Identity store, owned by the add-on (see EksService.AddonAssociations.cs).
/// </summary>
internal static class AddonPodIdentity
{
    /// <summary>podIdentityAssociations from a request body; null when the member is absent (UpdateAddon: no change).</summary>
    public static List<AddonPodIdentityRequest>? Parse(JsonObject? body, string cluster, string addon)
    {
        if (body?["podIdentityAssociations"] is not { } node)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw Invalid("Invalid value for parameter podIdentityAssociations: expected a list.", cluster, addon);
        }

        var requests = new List<AddonPodIdentityRequest>();
        foreach (var item in array)
        {
            var o = item as JsonObject;
            var serviceAccount = Json.Str(o, "serviceAccount");
            var roleArn = Json.Str(o, "roleArn");
            if (string.IsNullOrEmpty(serviceAccount) || string.IsNullOrEmpty(roleArn))
            {
                throw Invalid("Each pod identity association requires serviceAccount and roleArn", cluster, addon);
            }

            requests.Add(new AddonPodIdentityRequest(serviceAccount, roleArn));
        }

        return requests;
    }

    /// <summary>The version must have a Pod Identity configuration and each service account must be one it lists (observed messages).</summary>
    public static void Check(AddonDefinition definition, AddonVersionEntry version, IReadOnlyList<AddonPodIdentityRequest> requests, string cluster)
    {
        if (requests.Count == 0)
        {
            return;
        }

        if (version.PodIdentity.Count == 0)
        {
            throw Invalid($"Pod Identity feature is not supported for addon version: {version.Version}", cluster, definition.Name);
        }

        foreach (var request in requests)
        {
            if (!version.PodIdentity.Any(p => p.ServiceAccount == request.ServiceAccount))
            {
                throw Invalid($"Service account {request.ServiceAccount} in pod identity configuration is not supported for addon {definition.Name}", cluster, definition.Name);
            }
        }

        // Unconfirmed wording: one association per service account and namespace is the Pod Identity rule (§3).
        if (requests.GroupBy(r => r.ServiceAccount, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Invalid($"Service account {duplicate.Key} is specified more than once in pod identity configuration", cluster, definition.Name);
        }
    }

    private static AwsErrorException Invalid(string message, string cluster, string addon) =>
        new(400, "InvalidParameterException", message) { ClusterName = cluster, AddonName = addon };
}
