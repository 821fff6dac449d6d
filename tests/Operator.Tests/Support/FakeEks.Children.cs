using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Entities.V1Alpha1;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;
using EksFargateStatus = EksOperator.Aws.Eks.FargateProfileStatus;

namespace EksOperator.Operator.Tests.Support;

/// <summary>Node groups, Fargate profiles and tags of the in-memory EKS.</summary>
internal sealed partial class FakeEks
{
    public static string NodegroupArn(string cluster, string name) => $"arn:aws:eks:{Region}:{Account}:nodegroup/{cluster}/{name}/0000";

    public static string ProfileArn(string cluster, string name) => $"arn:aws:eks:{Region}:{Account}:fargateprofile/{cluster}/{name}/0000";

    public Nodegroup? Nodegroup(string cluster, string name) => _nodegroups.GetValueOrDefault((cluster, name));

    public void Seed(Nodegroup ng) => _nodegroups[(ng.ClusterName!, ng.NodegroupName!)] = ng;

    public void Change(string cluster, string name, Func<Nodegroup, Nodegroup> change) => _nodegroups[(cluster, name)] = change(_nodegroups[(cluster, name)]);

    public void ActivateNodegroup(string cluster, string name) => Change(cluster, name, n => n with { Status = NodegroupStatus.Active });

    public void FinishDeletingNodegroup(string cluster, string name) => _nodegroups.Remove((cluster, name));

    public AwsProfile? Profile(string cluster, string name) => _profiles.GetValueOrDefault((cluster, name));

    public IReadOnlyList<string> ProfileNames(string cluster) => [.. _profiles.Keys.Where(k => k.Cluster == cluster).Select(k => k.Name).Order(StringComparer.Ordinal)];

    public void Seed(AwsProfile profile) => _profiles[(profile.ClusterName!, profile.FargateProfileName!)] = profile;

    public void SetProfileStatus(string cluster, string name, EksFargateStatus status) =>
        _profiles[(cluster, name)] = _profiles[(cluster, name)] with { Status = status };

    public void FinishDeletingProfile(string cluster, string name)
    {
        if (_profiles[(cluster, name)].Status != EksFargateStatus.Deleting) throw new InvalidOperationException($"profile {name} is not DELETING");
        _profiles.Remove((cluster, name));
    }

    // IEksNodegroups

    public Task<Nodegroup?> FindAsync(string clusterName, string name, CancellationToken cancellationToken)
    {
        Call("DescribeNodegroup", $"{clusterName}/{name}");
        return Task.FromResult(_nodegroups.GetValueOrDefault((clusterName, name)));
    }

    public Task<Nodegroup> CreateAsync(NodegroupCreate create, CancellationToken cancellationToken)
    {
        Call("CreateNodegroup", $"{create.ClusterName}/{create.Name}");
        var cluster = Existing(create.ClusterName);
        if (cluster.Status != ClusterStatus.Active) throw Error(AwsErrorKind.Invalid, "InvalidRequestException", $"Cluster {create.ClusterName} is {cluster.Status}");
        if (_nodegroups.ContainsKey((create.ClusterName, create.Name))) throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", "NodeGroup already exists");
        var r = NodegroupMapping.ToCreateRequest(create.ClusterName, create.Name, create.Spec, create.SubnetIds, create.NodeRoleArn, create.Version, create.Owner);
        var version = r.Version ?? cluster.Version!;
        var ng = new Nodegroup
        {
            NodegroupName = r.NodegroupName,
            ClusterName = r.ClusterName,
            NodegroupArn = NodegroupArn(r.ClusterName, r.NodegroupName),
            Version = version,
            ReleaseVersion = r.ReleaseVersion ?? $"{version}.0-20260101",
            Status = NodegroupStatus.Creating,
            ScalingConfig = r.ScalingConfig,
            Subnets = r.Subnets,
            NodeRole = r.NodeRole,
            Labels = r.Labels,
            Taints = r.Taints,
            Tags = r.Tags,
            UpdateConfig = r.UpdateConfig ?? new NodegroupUpdateConfig { MaxUnavailable = 1 },
            NodeRepairConfig = r.NodeRepairConfig,
            LaunchTemplate = r.LaunchTemplate,
            Resources = new NodegroupResources { AutoScalingGroups = [new AutoScalingGroup { Name = $"eks-{r.NodegroupName}-asg" }] },
            CreatedAt = time.GetUtcNow(),
        };
        _nodegroups[(r.ClusterName, r.NodegroupName)] = ng;
        return Task.FromResult(ng);
    }

    /// <summary>As the Aws room composes it: a version change first, then one config change.</summary>
    public IReadOnlyList<NodegroupChange> ChangesFor(string clusterName, string name, ManagedNodeGroupSpec spec, string? targetVersion, Nodegroup observed)
    {
        var changes = new List<NodegroupChange>();
        var (version, versionDrift) = NodegroupMapping.VersionChange(clusterName, name, spec, targetVersion, observed);
        if (version is not null) changes.Add(new NodegroupChange([versionDrift!], version, null));
        var (config, configDrift) = NodegroupMapping.ConfigChange(clusterName, name, spec, observed);
        if (config is not null) changes.Add(new NodegroupChange(configDrift, null, config));
        return changes;
    }

    public Task<Update> ApplyAsync(NodegroupChange change, CancellationToken cancellationToken)
    {
        if (change.Version is { } v)
        {
            Call("UpdateNodegroupVersion", $"{v.ClusterName}/{v.NodegroupName} {v.Version ?? v.ReleaseVersion ?? v.LaunchTemplate?.Version}");
            if (v.Version is { } minor && Minor.Compare(minor, Existing(v.ClusterName).Version!) > 0)
            {
                throw Error(AwsErrorKind.Invalid, "InvalidParameterException", $"Requested Nodegroup version {minor} is newer than the cluster's");
            }

            return Task.FromResult(StartNodegroupUpdate(v.ClusterName, v.NodegroupName, EksValues.UpdateTypes.VersionUpdate, n => n with
            {
                Version = v.Version ?? n.Version,
                ReleaseVersion = v.ReleaseVersion ?? (v.Version is { } m ? $"{m}.0-20260101" : n.ReleaseVersion),
                LaunchTemplate = v.LaunchTemplate ?? n.LaunchTemplate,
            }));
        }

        var c = change.Config!;
        Call("UpdateNodegroupConfig", $"{c.ClusterName}/{c.NodegroupName} {string.Join(",", change.Drift.Select(d => d.Field))}");
        return Task.FromResult(StartNodegroupUpdate(c.ClusterName, c.NodegroupName, EksValues.UpdateTypes.ConfigUpdate, n =>
        {
            var labels = new Dictionary<string, string>(n.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (k, value) in c.Labels?.AddOrUpdateLabels ?? new Dictionary<string, string>()) labels[k] = value;
            foreach (var k in c.Labels?.RemoveLabels ?? []) labels.Remove(k);
            var taints = (n.Taints ?? []).Where(t => c.Taints?.RemoveTaints?.Any(r => r.Key == t.Key && r.Effect == t.Effect) != true).ToList();
            foreach (var t in c.Taints?.AddOrUpdateTaints ?? [])
            {
                taints.RemoveAll(x => x.Key == t.Key && x.Effect == t.Effect);
                taints.Add(t);
            }

            return n with
            {
                ScalingConfig = c.ScalingConfig ?? n.ScalingConfig,
                Labels = labels.Count > 0 ? labels : null,
                Taints = taints.Count > 0 ? taints : null,
                UpdateConfig = c.UpdateConfig ?? n.UpdateConfig,
                NodeRepairConfig = c.NodeRepairConfig ?? n.NodeRepairConfig,
            };
        }));
    }

    Task IEksNodegroups.DeleteAsync(string clusterName, string name, CancellationToken cancellationToken)
    {
        Call("DeleteNodegroup", $"{clusterName}/{name}");
        var ng = _nodegroups.GetValueOrDefault((clusterName, name)) ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", "No node group found");
        _nodegroups[(clusterName, name)] = ng with { Status = NodegroupStatus.Deleting };
        return Task.CompletedTask;
    }

    private Update StartNodegroupUpdate(string cluster, string name, string type, Func<Nodegroup, Nodegroup> apply)
    {
        var ng = _nodegroups.GetValueOrDefault((cluster, name)) ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", "No node group found");
        if (ng.Status != NodegroupStatus.Active) throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Nodegroup {name} is {ng.Status}");
        var update = NewUpdate(type);
        _updates[update.Id!] = new PendingUpdate(new UpdateTarget(cluster, name), update, null, apply);
        _nodegroups[(cluster, name)] = ng with { Status = NodegroupStatus.Updating };
        return update;
    }

    // IEksFargateProfiles

    Task<AwsProfile?> IEksFargateProfiles.FindAsync(string clusterName, string name, CancellationToken cancellationToken)
    {
        Call("DescribeFargateProfile", $"{clusterName}/{name}");
        return Task.FromResult(_profiles.GetValueOrDefault((clusterName, name)));
    }

    public Task<AwsProfile> CreateAsync(FargateCreate create, CancellationToken cancellationToken)
    {
        Call("CreateFargateProfile", $"{create.ClusterName}/{create.ProfileName}");
        OneFargateChangeAtATime(create.ClusterName);
        if (_profiles.ContainsKey((create.ClusterName, create.ProfileName))) throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", "Fargate Profile already exists");
        var r = FargateMapping.ToCreateRequest(create.ClusterName, create.ProfileName, create.Spec, create.RoleArn, create.Owner, create.SpecHash);
        var profile = new AwsProfile
        {
            FargateProfileName = r.FargateProfileName,
            ClusterName = r.ClusterName,
            FargateProfileArn = ProfileArn(r.ClusterName, r.FargateProfileName),
            PodExecutionRoleArn = r.PodExecutionRoleArn,
            Subnets = r.Subnets,
            Selectors = r.Selectors,
            Tags = r.Tags,
            Status = EksFargateStatus.Creating,
            CreatedAt = time.GetUtcNow(),
        };
        _profiles[(r.ClusterName, r.FargateProfileName)] = profile;
        return Task.FromResult(profile);
    }

    Task IEksFargateProfiles.DeleteAsync(string clusterName, string name, CancellationToken cancellationToken)
    {
        Call("DeleteFargateProfile", $"{clusterName}/{name}");
        var profile = _profiles.GetValueOrDefault((clusterName, name)) ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", "No Fargate profile found");
        OneFargateChangeAtATime(clusterName);
        _profiles[(clusterName, name)] = profile with { Status = EksFargateStatus.Deleting };
        return Task.CompletedTask;
    }

    public string SpecHash(FargateProfileSpec spec, string roleArn) => FargateMapping.SpecHash(spec, roleArn);

    public string ObservedHash(AwsProfile observed, FargateProfileSpec template) => FargateMapping.SpecHash(new FargateProfileSpec
    {
        ClusterRef = template.ClusterRef,
        SubnetIds = observed.Subnets?.ToList() ?? [],
        Selectors = [.. (observed.Selectors ?? []).Select(s => new FargateSelector { Namespace = s.Namespace ?? "", Labels = s.Labels?.ToDictionary(l => l.Key, l => l.Value) })],
    }, observed.PodExecutionRoleArn ?? "");

    private void OneFargateChangeAtATime(string cluster)
    {
        if (_profiles.Any(p => p.Key.Cluster == cluster && p.Value.Status is EksFargateStatus.Creating or EksFargateStatus.Deleting))
        {
            throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Cannot modify Fargate profiles of {cluster} while another is being created or deleted");
        }
    }

    // IEksTags

    public async Task SyncAsync(string arn, IReadOnlyDictionary<string, string> desired, IReadOnlyDictionary<string, string>? observed, CancellationToken cancellationToken)
    {
        var diff = TagDiff.Between(desired, observed);
        if (diff.ToSet.Count > 0) await TagAsync(arn, diff.ToSet, cancellationToken);
        if (diff.ToRemove.Count > 0) await UntagAsync(arn, diff.ToRemove, cancellationToken);
    }

    public Task TagAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Call("TagResource", $"{arn} {string.Join(",", tags.Keys.Order(StringComparer.Ordinal))}");
        RetagByArn(arn, current =>
        {
            foreach (var (k, v) in tags) current[k] = v;
        });
        return Task.CompletedTask;
    }

    public Task UntagAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        Call("UntagResource", $"{arn} {string.Join(",", keys.Order(StringComparer.Ordinal))}");
        RetagByArn(arn, current =>
        {
            foreach (var k in keys) current.Remove(k);
        });
        return Task.CompletedTask;
    }

    private void RetagByArn(string arn, Action<Dictionary<string, string>> edit)
    {
        Dictionary<string, string> Edited(IReadOnlyDictionary<string, string>? tags)
        {
            var copy = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            edit(copy);
            return copy;
        }

        if (_clusters.Values.FirstOrDefault(c => c.Arn == arn) is { } cluster) _clusters[cluster.Name!] = cluster with { Tags = Edited(cluster.Tags) };
        else if (_nodegroups.FirstOrDefault(n => n.Value.NodegroupArn == arn) is { Value: { } ng } n) _nodegroups[n.Key] = ng with { Tags = Edited(ng.Tags) };
        else if (_profiles.FirstOrDefault(p => p.Value.FargateProfileArn == arn) is { Value: { } fp } p) _profiles[p.Key] = fp with { Tags = Edited(fp.Tags) };
        else if (!RetagAccess(arn, Edited) && !RetagAddon(arn, Edited) && !RetagCapability(arn, Edited)) throw Error(AwsErrorKind.NotFound, "NotFoundException", $"Resource {arn} not found");
    }
}
