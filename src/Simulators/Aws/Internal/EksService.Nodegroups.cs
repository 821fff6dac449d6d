using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Managed node groups: create, list, delete, and their config and version updates.</summary>
internal sealed partial class EksService
{
    private JsonObject CreateNodegroup(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "nodegroupName", clusterName);
        CheckChildName(name, "nodegroupName", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateNodegroup", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.Nodegroups.ContainsKey(name))
        {
            throw AwsErrorException.InUse($"NodeGroup already exists with name {name} and cluster name {clusterName}", clusterName, name);
        }

        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AwsErrorException.InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status", clusterName, name);
        }

        if (c.Nodegroups.Count >= MaxNodegroupsPerCluster)
        {
            throw AwsErrorException.LimitExceeded($"Nodegroups limit of {MaxNodegroupsPerCluster} reached for cluster {clusterName}", clusterName, name);
        }

        var version = Json.Str(body, "version") ?? c.Version;
        if (version != c.Version)
        {
            throw AwsErrorException.InvalidParameter(
                $"Nodegroup Kubernetes version should be equal to Cluster kubernetes version {c.Version} or NodeGroup kubernetes version {c.Version}", clusterName, name);
        }

        var nodeRole = Json.Required(body, "nodeRole", clusterName);
        CheckAssumable(nodeRole, "ec2.amazonaws.com", clusterName, name);
        var subnets = Json.StrList(body, "subnets") ?? throw AwsErrorException.InvalidParameter("subnets is required.", clusterName, name);
        if (subnets.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("Subnets are required", clusterName, name);
        }

        foreach (var s in subnets)
        {
            if (!world.Subnets.TryGetValue(s, out var subnet) || subnet.VpcId != c.VpcId)
            {
                throw AwsErrorException.InvalidParameter($"The subnet ID '{s}' does not exist", clusterName, name);
            }
        }

        var scaling = Json.Obj(body, "scalingConfig");
        var (min, max, desired) = (Json.Int(scaling, "minSize") ?? 1, Json.Int(scaling, "maxSize") ?? 2, Json.Int(scaling, "desiredSize") ?? Json.Int(scaling, "minSize") ?? 2);
        CheckScaling(min, max, desired, clusterName, name);

        var launchTemplate = Json.Obj(body, "launchTemplate");
        var amiType = Json.Str(body, "amiType") ?? (launchTemplate is null ? "AL2023_x86_64_STANDARD" : "CUSTOM");
        if (!AmiTypes.Contains(amiType))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported AMI type {amiType}", clusterName, name);
        }

        if (amiType.StartsWith("AL2_", StringComparison.Ordinal) && Minor(version) >= 33)
        {
            throw AwsErrorException.InvalidParameter($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier", clusterName, name);
        }

        var capacityType = Json.Str(body, "capacityType") ?? "ON_DEMAND";
        if (!CapacityTypes.Contains(capacityType))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported capacity type {capacityType}", clusterName, name);
        }

        var labels = Json.StrMap(body, "labels") ?? new(StringComparer.Ordinal);
        CheckLabels(labels.Keys, labels.Values, clusterName, name);
        var taints = ParseTaints(body?["taints"], clusterName, name);
        if (taints.Count > 50)
        {
            throw AwsErrorException.InvalidParameter("A nodegroup can have at most 50 taints", clusterName, name);
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var updateConfig = Json.Obj(body, "updateConfig");
        var (maxUnavailable, maxUnavailablePct) = ParseUpdateConfig(updateConfig, clusterName, name);
        CheckNodeRepair(body?["nodeRepairConfig"] as JsonObject, clusterName, name);
        var releaseVersion = Json.Str(body, "releaseVersion") ?? LatestRelease(version);

        var now = world.Now;
        var uuid = world.NewUuid();
        var ng = new Nodegroup
        {
            Name = name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:nodegroup/{clusterName}/{name}/{uuid}",
            ClusterName = clusterName,
            Uuid = uuid,
            Version = version,
            ReleaseVersion = releaseVersion,
            CreatedAt = now,
            ModifiedAt = now,
            TransitionAt = world.Schedule(now + world.Scaled(Durations.NodegroupCreate)),
            CapacityType = capacityType,
            MinSize = min,
            MaxSize = max,
            DesiredSize = desired,
            InstanceTypes = Json.StrList(body, "instanceTypes") ?? (launchTemplate is null ? ["t3.medium"] : null),
            Subnets = subnets,
            RemoteAccess = body?["remoteAccess"]?.DeepClone(),
            AmiType = amiType,
            NodeRole = nodeRole,
            Labels = labels,
            Taints = taints,
            DiskSize = Json.Int(body, "diskSize") ?? (launchTemplate is null ? (amiType.StartsWith("WINDOWS", StringComparison.Ordinal) ? 50 : 20) : null),
            MaxUnavailable = maxUnavailable ?? (maxUnavailablePct is null ? 1 : null),
            MaxUnavailablePercentage = maxUnavailablePct,
            UpdateStrategy = Json.Str(updateConfig, "updateStrategy"),
            LaunchTemplate = launchTemplate?.DeepClone(),
            NodeRepairConfig = body?["nodeRepairConfig"]?.DeepClone(),
            Tags = tags,
        };
        c.Nodegroups[name] = ng;
        var response = new JsonObject { ["nodegroup"] = NodegroupJson(ng) };
        Remember("CreateNodegroup", $"{clusterName}/{name}", token, body, response,
            () => c.Nodegroups.TryGetValue(name, out var current) ? new JsonObject { ["nodegroup"] = NodegroupJson(current) } : null);
        return response;
    }

    private JsonObject ListNodegroups(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. GetCluster(clusterName).Nodegroups.Keys], query);
        return new JsonObject { ["nodegroups"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DeleteNodegroup(string clusterName, string name)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        if (ng.Status != "DELETING")
        {
            foreach (var u in c.Updates.Where(u => u.Nodegroup == name && u.Status == "InProgress"))
            {
                u.Status = "Cancelled";
            }

            ng.Status = "DELETING";
            ng.ModifiedAt = world.Now;
            ng.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.NodegroupDelete));
        }

        return new JsonObject { ["nodegroup"] = NodegroupJson(ng) };
    }

    private JsonObject UpdateNodegroupConfig(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateNodegroupConfig", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        RequireNodegroupUpdatable(c, ng);
        var parameters = new List<KeyValuePair<string, string>>();
        var apply = new List<Action>();

        if (Json.Obj(body, "scalingConfig") is { } scaling)
        {
            var min = Json.Int(scaling, "minSize") ?? ng.MinSize;
            var max = Json.Int(scaling, "maxSize") ?? ng.MaxSize;
            var desired = Json.Int(scaling, "desiredSize") ?? ng.DesiredSize;
            CheckScaling(min, max, desired, clusterName, name);
            AddIfPresent(parameters, scaling, "minSize", "MinSize");
            AddIfPresent(parameters, scaling, "maxSize", "MaxSize");
            AddIfPresent(parameters, scaling, "desiredSize", "DesiredSize");
            apply.Add(() => (ng.MinSize, ng.MaxSize, ng.DesiredSize) = (min, max, desired));
        }

        if (Json.Obj(body, "labels") is { } labels)
        {
            var add = Json.StrMap(labels, "addOrUpdateLabels") ?? new(StringComparer.Ordinal);
            var remove = Json.StrList(labels, "removeLabels") ?? [];
            CheckLabels(add.Keys, add.Values, clusterName, name);
            if (add.Keys.Intersect(remove, StringComparer.Ordinal).Any())
            {
                throw AwsErrorException.InvalidParameter("The same label key cannot be both added and removed", clusterName, name);
            }

            if (add.Count > 0)
            {
                parameters.Add(new("LabelsToAdd", Json.Map(add).ToJsonString()));
            }

            if (remove.Count > 0)
            {
                parameters.Add(new("LabelsToRemove", Json.Array(remove).ToJsonString()));
            }

            apply.Add(() =>
            {
                foreach (var key in remove)
                {
                    ng.Labels.Remove(key);
                }

                foreach (var (k, v) in add)
                {
                    ng.Labels[k] = v;
                }
            });
        }

        if (Json.Obj(body, "taints") is { } taints)
        {
            var add = ParseTaints(taints["addOrUpdateTaints"], clusterName, name);
            var remove = ParseTaints(taints["removeTaints"], clusterName, name);
            var merged = ng.Taints.Where(t => !remove.Exists(r => r.Key == t.Key && r.Effect == t.Effect) && !add.Exists(a => a.Key == t.Key && a.Effect == t.Effect)).Concat(add).ToList();
            if (merged.Count > 50)
            {
                throw AwsErrorException.InvalidParameter("A nodegroup can have at most 50 taints", clusterName, name);
            }

            if (add.Count > 0)
            {
                parameters.Add(new("TaintsToAdd", TaintsJson(add).ToJsonString()));
            }

            if (remove.Count > 0)
            {
                parameters.Add(new("TaintsToRemove", TaintsJson(remove).ToJsonString()));
            }

            apply.Add(() => ng.Taints = merged);
        }

        if (Json.Obj(body, "updateConfig") is { } updateConfig)
        {
            var (mu, mup) = ParseUpdateConfig(updateConfig, clusterName, name);
            var strategy = Json.Str(updateConfig, "updateStrategy");
            AddIfPresent(parameters, updateConfig, "maxUnavailable", "MaxUnavailable");
            AddIfPresent(parameters, updateConfig, "maxUnavailablePercentage", "MaxUnavailablePercentage");
            AddIfPresent(parameters, updateConfig, "updateStrategy", "UpdateStrategy");
            apply.Add(() =>
            {
                if (mu is not null || mup is not null)
                {
                    (ng.MaxUnavailable, ng.MaxUnavailablePercentage) = (mu, mup);
                }

                ng.UpdateStrategy = strategy ?? ng.UpdateStrategy;
            });
        }

        if (body?["nodeRepairConfig"] is JsonObject repair)
        {
            CheckNodeRepair(repair, clusterName, name);
            if (Json.Bool(repair, "enabled") is { } repairEnabled)
            {
                parameters.Add(new("NodeRepairEnabled", Lower(repairEnabled)));
            }

            parameters.Add(new("NodeRepairConfig", repair.ToJsonString()));
            var copy = repair.DeepClone();
            apply.Add(() => ng.NodeRepairConfig = copy);
        }

        if (parameters.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("No changes needed for the nodegroup config provided", clusterName, name);
        }

        var update = StartUpdate(c, "ConfigUpdate", parameters, world.Scaled(Durations.NodegroupConfigUpdate), () =>
        {
            apply.ForEach(a => a());
            ng.ModifiedAt = world.Now;
        }, nodegroup: name);
        ng.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateNodegroupConfig", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject UpdateNodegroupVersion(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateNodegroupVersion", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        RequireNodegroupUpdatable(c, ng);
        if (c.InFlightClusterUpdate is { Type: "VersionUpdate" } clusterUpdate)
        {
            throw AwsErrorException.InUse($"Cannot update nodegroup {name} because cluster {clusterName} currently has update {clusterUpdate.Id} in progress", clusterName, name);
        }

        var version = Json.Str(body, "version") ?? c.Version;
        if (Minor(version) > Minor(c.Version) || Major(version) != Major(c.Version))
        {
            throw AwsErrorException.InvalidParameter(
                $"Nodegroup Kubernetes version should be equal to Cluster kubernetes version {c.Version} or NodeGroup kubernetes version {ng.Version}", clusterName, name);
        }

        if (Minor(version) < Minor(ng.Version))
        {
            throw AwsErrorException.InvalidParameter($"Requested Nodegroup version {version} is older than current Nodegroup version {ng.Version}", clusterName, name);
        }

        var releaseVersion = Json.Str(body, "releaseVersion") ?? LatestRelease(version);
        if (!releaseVersion.StartsWith(version + ".", StringComparison.Ordinal))
        {
            throw AwsErrorException.InvalidParameter($"Release version {releaseVersion} does not match Kubernetes version {version}", clusterName, name);
        }

        var launchTemplate = Json.Obj(body, "launchTemplate");
        if (launchTemplate is not null && ng.LaunchTemplate is null)
        {
            throw AwsErrorException.InvalidParameter("A launch template cannot be added to a nodegroup that was created without one", clusterName, name);
        }

        var parameters = new List<KeyValuePair<string, string>> { new("Version", version), new("ReleaseVersion", releaseVersion) };
        if (Json.Str(launchTemplate, "version") is { } ltVersion)
        {
            parameters.Add(new("LaunchTemplateVersion", ltVersion));
        }

        var duration = world.Scaled(Durations.NodegroupVersionUpdate + (Durations.NodegroupVersionUpdatePerNode * ng.DesiredSize));
        var update = StartUpdate(c, "VersionUpdate", parameters, duration, () =>
        {
            ng.Version = version;
            ng.ReleaseVersion = releaseVersion;
            if (launchTemplate is not null && ng.LaunchTemplate is JsonObject lt && Json.Str(launchTemplate, "version") is { } v)
            {
                lt["version"] = v;
            }

            ng.ModifiedAt = world.Now;
        }, nodegroup: name);
        ng.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateNodegroupVersion", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }
}
