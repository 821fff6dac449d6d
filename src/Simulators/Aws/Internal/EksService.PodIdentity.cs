using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// EKS Pod Identity associations (reference §3): which IAM role the pods of one (namespace, service account) get
/// credentials for. Synchronous, like access entries: no status, the object comes back at once.
/// </summary>
internal sealed partial class EksService
{
    private const string PodsPrincipal = "pods.eks.amazonaws.com";

    private JsonObject CreatePodIdentityAssociation(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var ns = Json.Required(body, "namespace", clusterName);
        var serviceAccount = Json.Required(body, "serviceAccount", clusterName);
        var roleArn = Json.Required(body, "roleArn", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreatePodIdentityAssociation", clusterName, token, body) is { } replay)
        {
            return replay;
        }

        var targetRoleArn = Json.Str(body, "targetRoleArn");
        var disableSessionTags = Json.Bool(body, "disableSessionTags") ?? false;
        var policy = Json.Str(body, "policy");
        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var association = AddPodIdentityAssociation(c, ns, serviceAccount, roleArn, targetRoleArn, disableSessionTags, policy, tags, ownerArn: null);
        var response = new JsonObject { ["association"] = AssociationJson(association) };
        Remember("CreatePodIdentityAssociation", clusterName, token, body, response,
            () => c.PodIdentityAssociations.TryGetValue(association.Id, out var a) ? new JsonObject { ["association"] = AssociationJson(a) } : null);
        return response;
    }

    /// <summary>
    /// For EKS add-ons: creates an association the add-on owns (ownerArn = the add-on's ARN), under the same rules as
    /// CreatePodIdentityAssociation; a (namespace, service account) that already has one is a ResourceInUseException, since add-ons
    /// cannot take over existing associations. Call under the world's lock, as every EKS handler runs.
    /// </summary>
    internal PodIdentityAssociation CreateOwnedPodIdentityAssociation(string clusterName, string ns, string serviceAccount, string roleArn, string ownerArn) =>
        AddPodIdentityAssociation(GetCluster(clusterName), ns, serviceAccount, roleArn, null, false, null, new(StringComparer.Ordinal), ownerArn);

    /// <summary>For EKS add-ons: deletes every association <paramref name="ownerArn"/> owns on the cluster and returns them.</summary>
    internal IReadOnlyList<PodIdentityAssociation> DeleteOwnedPodIdentityAssociations(string clusterName, string ownerArn)
    {
        var c = GetCluster(clusterName);
        var owned = c.PodIdentityAssociations.Values.Where(a => a.OwnerArn == ownerArn).ToList();
        foreach (var a in owned)
        {
            c.PodIdentityAssociations.Remove(a.Id);
        }

        return owned;
    }

    private PodIdentityAssociation AddPodIdentityAssociation(
        Cluster c, string ns, string serviceAccount, string roleArn, string? targetRoleArn, bool disableSessionTags, string? policy,
        Dictionary<string, string> tags, string? ownerArn)
    {
        CheckKubernetesName(ns, "namespace", c.Name, 63);
        CheckKubernetesName(serviceAccount, "serviceAccount", c.Name, 253);
        CheckPodIdentityRole(roleArn, c.Name);
        CheckTargetRole(targetRoleArn, c.Name);
        CheckSessionPolicy(policy, disableSessionTags, c.Name);
        if (c.PodIdentityAssociations.Values.FirstOrDefault(a => a.Namespace == ns && a.ServiceAccount == serviceAccount) is { } existing)
        {
            throw AwsErrorException.InUse($"Association already exists: {existing.Id}", c.Name);
        }

        if (c.PodIdentityAssociations.Count >= world.Options.PodIdentityAssociationQuota)
        {
            throw AwsErrorException.LimitExceeded($"Pod identity association limit exceeded for cluster {c.Name}: {world.Options.PodIdentityAssociationQuota}", c.Name);
        }

        var id = "a-" + world.NewAlnumLower(17);
        var now = world.Now;
        var association = new PodIdentityAssociation
        {
            ClusterName = c.Name,
            Id = id,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:podidentityassociation/{c.Name}/{id}",
            Namespace = ns,
            ServiceAccount = serviceAccount,
            RoleArn = roleArn,
            TargetRoleArn = NullIfEmpty(targetRoleArn),
            DisableSessionTags = disableSessionTags,
            Policy = NullIfEmpty(policy),
            CreatedAt = now,
            ModifiedAt = now,
            OwnerArn = ownerArn,
            Tags = tags,
        };
        c.PodIdentityAssociations[id] = association;
        return association;
    }

    private JsonObject DescribePodIdentityAssociation(string clusterName, string id) =>
        new() { ["association"] = AssociationJson(GetAssociation(clusterName, id)) };

    private JsonObject UpdatePodIdentityAssociation(string clusterName, string id, JsonObject? body)
    {
        var association = GetAssociation(clusterName, id);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdatePodIdentityAssociation", $"{clusterName}/{id}", token, body) is { } replay)
        {
            return replay;
        }

        // namespace and serviceAccount are not members of the update: moving an association means re-creating it.
        var roleArn = Json.Str(body, "roleArn") ?? association.RoleArn;
        var targetRoleArn = body?.ContainsKey("targetRoleArn") == true ? NullIfEmpty(Json.Str(body, "targetRoleArn")) : association.TargetRoleArn;
        var disableSessionTags = Json.Bool(body, "disableSessionTags") ?? association.DisableSessionTags;
        var policy = body?.ContainsKey("policy") == true ? NullIfEmpty(Json.Str(body, "policy")) : association.Policy;
        if (roleArn == association.RoleArn && targetRoleArn == association.TargetRoleArn
            && disableSessionTags == association.DisableSessionTags && policy == association.Policy)
        {
            throw AwsErrorException.InvalidParameter("No changes needed for the pod identity association provided.", clusterName);
        }

        if (roleArn != association.RoleArn)
        {
            CheckPodIdentityRole(roleArn, clusterName);
        }

        CheckTargetRole(targetRoleArn, clusterName);
        CheckSessionPolicy(policy, disableSessionTags, clusterName);
        association.RoleArn = roleArn;
        association.TargetRoleArn = targetRoleArn;
        association.DisableSessionTags = disableSessionTags;
        association.Policy = policy;
        association.ModifiedAt = world.Now;
        var response = new JsonObject { ["association"] = AssociationJson(association) };
        Remember("UpdatePodIdentityAssociation", $"{clusterName}/{id}", token, body, response, () => null);
        return response;
    }

    private JsonObject DeletePodIdentityAssociation(string clusterName, string id)
    {
        var association = GetAssociation(clusterName, id);
        world.Clusters[clusterName].PodIdentityAssociations.Remove(id);
        return new JsonObject { ["association"] = AssociationJson(association) };
    }

    private JsonObject ListPodIdentityAssociations(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(clusterName);
        var ns = query.TryGetValue("namespace", out var n) ? n[0] : null;
        var serviceAccount = query.TryGetValue("serviceAccount", out var s) ? s[0] : null;
        var ids = c.PodIdentityAssociations.Values
            .Where(a => (ns is null || a.Namespace == ns) && (serviceAccount is null || a.ServiceAccount == serviceAccount))
            .Select(a => a.Id)
            .ToList();
        var (page, next) = Page(ids, query);
        var summaries = new JsonArray();
        foreach (var id in page)
        {
            summaries.Add(AssociationSummaryJson(c.PodIdentityAssociations[id]));
        }

        return new JsonObject { ["associations"] = summaries, ["nextToken"] = next };
    }

    private PodIdentityAssociation GetAssociation(string clusterName, string id)
    {
        var c = GetCluster(clusterName);
        if (id.Length != 19)
        {
            throw AwsErrorException.InvalidParameter("The parameter associationId should be 19 characters long.", clusterName);
        }

        return c.PodIdentityAssociations.TryGetValue(id, out var association)
            ? association
            : throw AwsErrorException.NotFound($"No Pod Identity Association found for id: {id}.", clusterName);
    }

    /// <summary>
    /// The association role must be this account's (EKS passes it), exist (IAM propagation included: Terraform retries the
    /// first error for that reason) and trust pods.eks.amazonaws.com with sts:AssumeRole.
    /// </summary>
    private void CheckPodIdentityRole(string roleArn, string clusterName)
    {
        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        if (!roleArn.StartsWith($"arn:aws:iam::{world.Account}:role/", StringComparison.Ordinal)
            || !world.Roles.TryGetValue(name, out var role) || role.Arn != roleArn || world.Now < role.UsableAt)
        {
            throw AwsErrorException.InvalidParameter("Role provided in the request does not exist", clusterName);
        }

        if (!TrustPolicy.Allows(role.AssumeRolePolicyDocument, PodsPrincipal, "sts:AssumeRole"))
        {
            throw AwsErrorException.InvalidParameter("Trust policy of the role provided is invalid", clusterName);
        }
    }

    /// <summary>The target role may be in any account, so only its form is checked.</summary>
    private static void CheckTargetRole(string? targetRoleArn, string clusterName)
    {
        if (!string.IsNullOrEmpty(targetRoleArn) && !RoleArnPattern().IsMatch(targetRoleArn))
        {
            throw AwsErrorException.InvalidParameter("The targetRoleArn parameter format is not valid", clusterName);
        }
    }

    /// <summary>A session policy cannot be combined with EKS's session tags (model doc: "disableSessionTags must be set to true").</summary>
    private static void CheckSessionPolicy(string? policy, bool disableSessionTags, string clusterName)
    {
        if (string.IsNullOrEmpty(policy))
        {
            return;
        }

        if (!disableSessionTags)
        {
            throw AwsErrorException.InvalidParameter("disableSessionTags must be set to true when a policy is specified.", clusterName);
        }

        try
        {
            using var doc = JsonDocument.Parse(policy);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw AwsErrorException.InvalidParameter("The policy provided is not a valid IAM policy document.", clusterName);
            }
        }
        catch (JsonException)
        {
            throw AwsErrorException.InvalidParameter("The policy provided is not a valid IAM policy document.", clusterName);
        }
    }

    private static void CheckKubernetesName(string value, string member, string clusterName, int maxLength)
    {
        // Namespaces are DNS labels (no dots); service accounts are DNS subdomains.
        if (value.Length > maxLength || !KubernetesNamePattern().IsMatch(value) || (member == "namespace" && value.Contains('.', StringComparison.Ordinal)))
        {
            throw AwsErrorException.InvalidParameter($"The {member} {value} is not a valid Kubernetes name.", clusterName);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private JsonObject AssociationJson(PodIdentityAssociation a)
    {
        var o = new JsonObject
        {
            ["clusterName"] = a.ClusterName,
            ["namespace"] = a.Namespace,
            ["serviceAccount"] = a.ServiceAccount,
            ["roleArn"] = a.RoleArn,
            ["associationArn"] = a.Arn,
            ["associationId"] = a.Id,
            ["tags"] = Json.Map(a.Tags),
            ["createdAt"] = Json.Epoch(a.CreatedAt),
            ["modifiedAt"] = Json.Epoch(a.ModifiedAt),
        };

        // Absent rather than null, as restJson1 services leave out unset members.
        if (a.OwnerArn is not null)
        {
            o["ownerArn"] = a.OwnerArn;
        }

        o["disableSessionTags"] = a.DisableSessionTags;
        if (a.TargetRoleArn is not null)
        {
            o["targetRoleArn"] = a.TargetRoleArn;

            // What the target role's trust policy matches with sts:ExternalId (user guide; its general form is unconfirmed).
            o["externalId"] = $"{world.Region}/{world.Account}/{a.ClusterName}/{a.Namespace}/{a.ServiceAccount}";
        }

        if (a.Policy is not null)
        {
            o["policy"] = a.Policy;
        }

        return o;
    }

    private static JsonObject AssociationSummaryJson(PodIdentityAssociation a)
    {
        var o = new JsonObject
        {
            ["clusterName"] = a.ClusterName,
            ["namespace"] = a.Namespace,
            ["serviceAccount"] = a.ServiceAccount,
            ["associationArn"] = a.Arn,
            ["associationId"] = a.Id,
        };
        if (a.OwnerArn is not null)
        {
            o["ownerArn"] = a.OwnerArn;
        }

        return o;
    }

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]+$")]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex KubernetesNamePattern();
}
