using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Fargate profiles: create, list and delete (EKS has no update for them).</summary>
internal sealed partial class EksService
{
    private JsonObject CreateFargateProfile(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "fargateProfileName", clusterName);
        CheckChildName(name, "fargateProfileName", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateFargateProfile", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.FargateProfiles.ContainsKey(name))
        {
            throw AwsErrorException.InUse("A Fargate Profile already exists with this name in this cluster.", clusterName);
        }

        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AwsErrorException.InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status", clusterName);
        }

        if (c.FargateProfiles.Values.FirstOrDefault(p => p.Status is "CREATING" or "DELETING") is { } busy)
        {
            throw AwsErrorException.InUse($"Cannot create Fargate Profile {name} because cluster {clusterName} currently has Fargate profile {busy.Name} in status {busy.Status}", clusterName);
        }

        if (c.FargateProfiles.Count >= MaxFargateProfilesPerCluster)
        {
            throw AwsErrorException.LimitExceeded($"Fargate profile limit of {MaxFargateProfilesPerCluster} reached for cluster {clusterName}", clusterName);
        }

        var roleArn = Json.Required(body, "podExecutionRoleArn", clusterName);
        CheckAssumable(roleArn, "eks-fargate-pods.amazonaws.com", clusterName, null);

        var selectors = body?["selectors"] as JsonArray ?? [];
        if (selectors.Count is 0 or > 5)
        {
            throw AwsErrorException.InvalidParameter("A Fargate Profile must have between 1 and 5 selectors", clusterName, profile: name);
        }

        foreach (var selector in selectors)
        {
            var sel = selector as JsonObject;
            if (string.IsNullOrEmpty(Json.Str(sel, "namespace")))
            {
                throw AwsErrorException.InvalidParameter("Fargate Profile selector must specify a namespace", clusterName, profile: name);
            }

            if ((Json.StrMap(sel, "labels")?.Count ?? 0) > 5)
            {
                throw AwsErrorException.InvalidParameter("A Fargate Profile selector can have at most 5 labels", clusterName, profile: name);
            }
        }

        var subnets = Json.StrList(body, "subnets") ?? [.. c.SubnetIds.Where(s => world.Subnets.TryGetValue(s, out var sn) && sn.Private)];
        if (subnets.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("Fargate Profile requires at least one private subnet", clusterName, profile: name);
        }

        foreach (var s in subnets)
        {
            if (!world.Subnets.TryGetValue(s, out var subnet) || subnet.VpcId != c.VpcId)
            {
                throw AwsErrorException.InvalidParameter($"The subnet ID '{s}' does not exist", clusterName, profile: name);
            }

            if (!subnet.Private)
            {
                throw AwsErrorException.InvalidParameter($"Subnet {s} provided in Fargate Profile is not a private subnet", clusterName, profile: name);
            }
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var now = world.Now;
        var profile = new FargateProfile
        {
            Name = name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:fargateprofile/{clusterName}/{name}/{world.NewUuid()}",
            ClusterName = clusterName,
            CreatedAt = now,
            PodExecutionRoleArn = roleArn,
            Subnets = subnets,
            Selectors = (JsonArray)selectors.DeepClone(),
            TransitionAt = world.Schedule(now + world.Scaled(Durations.FargateProfileCreate)),
            Tags = tags,
        };
        c.FargateProfiles[name] = profile;
        var response = new JsonObject { ["fargateProfile"] = ProfileJson(profile) };
        Remember("CreateFargateProfile", $"{clusterName}/{name}", token, body, response,
            () => c.FargateProfiles.TryGetValue(name, out var p) ? new JsonObject { ["fargateProfile"] = ProfileJson(p) } : null);
        return response;
    }

    private JsonObject ListFargateProfiles(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. GetCluster(clusterName).FargateProfiles.Keys], query);
        return new JsonObject { ["fargateProfileNames"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DeleteFargateProfile(string clusterName, string name)
    {
        var c = GetCluster(clusterName);
        var profile = GetProfile(clusterName, name);
        if (profile.Status != "DELETING")
        {
            if (c.FargateProfiles.Values.FirstOrDefault(p => p != profile && p.Status is "CREATING" or "DELETING") is { } busy)
            {
                throw AwsErrorException.InUse($"Cannot delete Fargate Profile {name} because cluster {clusterName} currently has Fargate profile {busy.Name} in status {busy.Status}", clusterName);
            }

            profile.Status = "DELETING";
            profile.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.FargateProfileDelete));
        }

        return new JsonObject { ["fargateProfile"] = ProfileJson(profile) };
    }
}
