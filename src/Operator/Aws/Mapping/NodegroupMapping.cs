using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;
using EksTaint = EksOperator.Aws.Eks.Taint;
using EntityTaint = EksOperator.Entities.V1Alpha1.Taint;

namespace EksOperator.Aws.Mapping;

/// <summary>ManagedNodeGroup spec ⇄ the EKS API.</summary>
public static class NodegroupMapping
{
    public static CreateNodegroupRequest ToCreateRequest(
        string clusterName, string name, ManagedNodeGroupSpec spec, IReadOnlyList<string> subnets, string nodeRoleArn, string? version, Owner owner) => new()
    {
        ClusterName = clusterName,
        NodegroupName = name,
        ScalingConfig = new NodegroupScalingConfig
        {
            MinSize = spec.Scaling.MinSize,
            MaxSize = spec.Scaling.MaxSize,
            DesiredSize = spec.Scaling.DesiredSize ?? spec.Scaling.MinSize,
        },
        DiskSize = spec.DiskSize,
        Subnets = subnets,
        InstanceTypes = spec.InstanceTypes?.ToList(),
        AmiType = spec.AmiType is { } ami ? ClusterMapping.EnumName(ami) : null,
        RemoteAccess = spec.RemoteAccess is { } remote
            ? new RemoteAccessConfig { Ec2SshKey = remote.Ec2SshKey, SourceSecurityGroups = remote.SourceSecurityGroups?.ToList() }
            : null,
        NodeRole = nodeRoleArn,
        Labels = spec.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
        Taints = spec.Taints is { Count: > 0 } taints ? taints.Select(ToEks).ToList() : null,
        Tags = owner.TagsWith(spec.Tags),
        ClientRequestToken = owner.CreateToken("nodegroup"),
        LaunchTemplate = spec.LaunchTemplate is { } lt ? new LaunchTemplateSpecification { Id = lt.Id, Name = lt.Name, Version = lt.Version } : null,
        UpdateConfig = spec.UpdateConfig is { } update ? ToEks(update) : null,
        NodeRepairConfig = spec.NodeRepair is { } repair ? new NodeRepairConfig { Enabled = repair.Enabled } : null,
        CapacityType = spec.CapacityType is { } capacity ? ClusterMapping.EnumName(capacity) : null,
        Version = version,
        ReleaseVersion = spec.ReleaseVersion,
    };

    /// <summary>
    /// One UpdateNodegroupConfig carrying every config difference (scaling, labels and taints as add/remove diffs,
    /// update config), or null when in sync. desiredSize is compared only when the operator owns it.
    /// </summary>
    public static (UpdateNodegroupConfigRequest? Request, IReadOnlyList<DriftEntry> Drift) ConfigChange(
        string clusterName, string name, ManagedNodeGroupSpec spec, Nodegroup observed)
    {
        var drift = new List<DriftEntry>();
        var scaling = observed.ScalingConfig;
        var ownsDesired = spec.DesiredSizeManagedBy != DesiredSizeManagedBy.External;
        var desiredSize = ownsDesired ? spec.Scaling.DesiredSize : null;
        NodegroupScalingConfig? scalingChange = null;
        if (spec.Scaling.MinSize != scaling?.MinSize || spec.Scaling.MaxSize != scaling?.MaxSize
            || (desiredSize is { } d && d != scaling?.DesiredSize)
            || (scaling?.DesiredSize is { } current && (current < spec.Scaling.MinSize || current > spec.Scaling.MaxSize)))
        {
            // An autoscaler's desiredSize is kept, clamped into the new bounds so EKS accepts the change.
            var keep = scaling?.DesiredSize is { } c ? Math.Clamp(c, spec.Scaling.MinSize, spec.Scaling.MaxSize) : spec.Scaling.MinSize;
            scalingChange = new NodegroupScalingConfig { MinSize = spec.Scaling.MinSize, MaxSize = spec.Scaling.MaxSize, DesiredSize = desiredSize ?? keep };
            drift.Add(new DriftEntry
            {
                Field = "spec.scaling",
                Desired = $"min={spec.Scaling.MinSize} max={spec.Scaling.MaxSize} desired={desiredSize?.ToString() ?? "(external)"}",
                Actual = $"min={scaling?.MinSize} max={scaling?.MaxSize} desired={scaling?.DesiredSize}",
            });
        }

        UpdateLabelsPayload? labels = null;
        var wantedLabels = spec.Labels ?? new Dictionary<string, string>();
        var haveLabels = observed.Labels ?? new Dictionary<string, string>();
        var addLabels = wantedLabels.Where(l => !haveLabels.TryGetValue(l.Key, out var v) || v != l.Value).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var removeLabels = haveLabels.Keys.Where(k => !wantedLabels.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (addLabels.Count > 0 || removeLabels.Count > 0)
        {
            labels = new UpdateLabelsPayload { AddOrUpdateLabels = addLabels.Count > 0 ? addLabels : null, RemoveLabels = removeLabels.Count > 0 ? removeLabels : null };
            drift.Add(new DriftEntry { Field = "spec.labels", Desired = ClusterMapping.Show(wantedLabels.Select(l => $"{l.Key}={l.Value}")), Actual = ClusterMapping.Show(haveLabels.Select(l => $"{l.Key}={l.Value}")) });
        }

        UpdateTaintsPayload? taints = null;
        var wantedTaints = (spec.Taints ?? []).Select(ToEks).ToList();
        var haveTaints = (observed.Taints ?? []).ToList();
        var addTaints = wantedTaints.Where(t => !haveTaints.Contains(t)).ToList();
        // A taint whose value changed is re-added under the same key and effect, not removed.
        var removeTaints = haveTaints.Where(t => !wantedTaints.Exists(w => w.Key == t.Key && w.Effect == t.Effect)).ToList();
        if (addTaints.Count > 0 || removeTaints.Count > 0)
        {
            taints = new UpdateTaintsPayload { AddOrUpdateTaints = addTaints.Count > 0 ? addTaints : null, RemoveTaints = removeTaints.Count > 0 ? removeTaints : null };
            drift.Add(new DriftEntry { Field = "spec.taints", Desired = ClusterMapping.Show(wantedTaints.Select(Show)), Actual = ClusterMapping.Show(haveTaints.Select(Show)) });
        }

        NodegroupUpdateConfig? updateConfig = null;
        // A strategy the spec leaves out is not compared; EKS reports none for DEFAULT on older groups.
        var strategy = spec.UpdateConfig?.UpdateStrategy is { } s ? ClusterMapping.EnumName(s) : null;
        var actualStrategy = observed.UpdateConfig?.UpdateStrategy ?? "DEFAULT";
        if (spec.UpdateConfig is { } wanted
            && (wanted.MaxUnavailable != observed.UpdateConfig?.MaxUnavailable || wanted.MaxUnavailablePercentage != observed.UpdateConfig?.MaxUnavailablePercentage
                || (strategy is not null && strategy != actualStrategy)))
        {
            updateConfig = ToEks(wanted);
            drift.Add(new DriftEntry
            {
                Field = "spec.updateConfig",
                Desired = $"maxUnavailable={wanted.MaxUnavailable} maxUnavailablePercentage={wanted.MaxUnavailablePercentage}" + (strategy is null ? "" : $" updateStrategy={strategy}"),
                Actual = $"maxUnavailable={observed.UpdateConfig?.MaxUnavailable} maxUnavailablePercentage={observed.UpdateConfig?.MaxUnavailablePercentage}"
                    + (strategy is null ? "" : $" updateStrategy={actualStrategy}"),
            });
        }

        // Node repair is off by default: an absent config and enabled:false are the same.
        NodeRepairConfig? repair = null;
        if (spec.NodeRepair is { } wantedRepair && wantedRepair.Enabled != (observed.NodeRepairConfig?.Enabled ?? false))
        {
            repair = new NodeRepairConfig { Enabled = wantedRepair.Enabled };
            drift.Add(new DriftEntry { Field = "spec.nodeRepair.enabled", Desired = wantedRepair.Enabled.ToString(), Actual = (observed.NodeRepairConfig?.Enabled ?? false).ToString() });
        }

        if (scalingChange is null && labels is null && taints is null && updateConfig is null && repair is null) return (null, drift);
        return (new UpdateNodegroupConfigRequest
        {
            ClusterName = clusterName,
            NodegroupName = name,
            ScalingConfig = scalingChange,
            Labels = labels,
            Taints = taints,
            UpdateConfig = updateConfig,
            NodeRepairConfig = repair,
        }, drift);
    }

    /// <summary>
    /// An UpdateNodegroupVersion for a newer minor (<paramref name="targetVersion"/>), a different release version,
    /// or a different launch template version; null when in sync. EKS allows one of these per call.
    /// </summary>
    public static (UpdateNodegroupVersionRequest? Request, DriftEntry? Drift) VersionChange(
        string clusterName, string name, ManagedNodeGroupSpec spec, string? targetVersion, Nodegroup observed)
    {
        if (targetVersion is not null && observed.Version is { } current && Minor.Compare(targetVersion, current) > 0)
        {
            return (new UpdateNodegroupVersionRequest { ClusterName = clusterName, NodegroupName = name, Version = targetVersion },
                new DriftEntry { Field = "spec.version", Desired = targetVersion, Actual = current });
        }

        if (spec.ReleaseVersion is { } release && release != observed.ReleaseVersion)
        {
            return (new UpdateNodegroupVersionRequest { ClusterName = clusterName, NodegroupName = name, ReleaseVersion = release },
                new DriftEntry { Field = "spec.releaseVersion", Desired = release, Actual = observed.ReleaseVersion });
        }

        if (spec.LaunchTemplate?.Version is { } ltVersion && ltVersion != observed.LaunchTemplate?.Version)
        {
            var lt = spec.LaunchTemplate;
            return (new UpdateNodegroupVersionRequest
            {
                ClusterName = clusterName,
                NodegroupName = name,
                LaunchTemplate = new LaunchTemplateSpecification { Id = lt.Id, Name = lt.Name, Version = ltVersion },
            }, new DriftEntry { Field = "spec.launchTemplate.version", Desired = ltVersion, Actual = observed.LaunchTemplate?.Version });
        }

        return (null, null);
    }

    private static NodegroupUpdateConfig ToEks(NodeGroupUpdateConfig update) => new()
    {
        MaxUnavailable = update.MaxUnavailable,
        MaxUnavailablePercentage = update.MaxUnavailablePercentage,
        UpdateStrategy = update.UpdateStrategy is { } strategy ? ClusterMapping.EnumName(strategy) : null,
    };

    private static EksTaint ToEks(EntityTaint taint) => new()
    {
        Key = taint.Key,
        Value = string.IsNullOrEmpty(taint.Value) ? null : taint.Value,
        Effect = Enum.Parse<Eks.TaintEffect>(taint.Effect.ToString()),
    };

    private static string Show(EksTaint taint) => $"{taint.Key}={taint.Value}:{taint.Effect}";
}
