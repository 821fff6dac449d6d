using System.Net;
using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Entities.V1Alpha1;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// EKS in memory, behind the Aws room's intent-level interfaces, for what the loop relies on: a Describe of what does
/// not exist is null; a create makes a CREATING resource (<see cref="Activate"/> flips it); an update is InProgress
/// until <see cref="CompleteUpdate"/> applies it; one update at a time; no update or create on a resource that is not
/// ACTIVE; a cluster with node groups or deletion protection refuses DeleteCluster; one Fargate create or delete at a
/// time per cluster. Every AWS call is recorded in <see cref="Calls"/>; <see cref="Fail"/> makes the next call of an
/// operation throw.
/// </summary>
internal sealed partial class FakeEks(TimeProvider time) : IEksClusters, IEksNodegroups, IEksFargateProfiles, IEksUpdates, IEksTags
{
    public const string Account = "111122223333";
    public const string Region = "us-east-1";

    private readonly Dictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Cluster, string Name), Nodegroup> _nodegroups = [];
    private readonly Dictionary<(string Cluster, string Name), AwsProfile> _profiles = [];
    private readonly Dictionary<string, PendingUpdate> _updates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<AwsApiException>> _failures = new(StringComparer.Ordinal);
    private int _ids;

    /// <summary>"Operation detail" of every call, in order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The calls that change something (not Describe*, List*).</summary>
    public IReadOnlyList<string> Writes => [.. Calls.Where(c => !c.StartsWith("Describe", StringComparison.Ordinal) && !c.StartsWith("List", StringComparison.Ordinal))];

    public string DefaultVersion { get; set; } = "1.33";

    /// <summary>When set, ResolveSubnetsAsync reports this problem.</summary>
    public string? SubnetProblem { get; set; }

    public void Fail(string operation, AwsErrorKind kind, string code = "SomeException", string message = "injected")
    {
        if (!_failures.TryGetValue(operation, out var queue)) _failures[operation] = queue = new();
        queue.Enqueue(new AwsApiException("eks", code, message, HttpStatusCode.BadRequest, "req-1", kind));
    }

    public static AwsApiException Error(AwsErrorKind kind, string code, string message) =>
        new("eks", code, message, kind == AwsErrorKind.NotFound ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, "req-1", kind);

    /// <summary>The AWS target (region, role) each call was made under, in call order.</summary>
    public List<(string Call, Aws.AwsTarget? Target)> Targets { get; } = [];

    private void Call(string operation, string detail)
    {
        Calls.Add($"{operation} {detail}");
        Targets.Add(($"{operation} {detail}", Aws.AwsScope.Current));
        if (_failures.TryGetValue(operation, out var queue) && queue.TryDequeue(out var failure)) throw failure;
    }

    public static string ClusterArn(string name) => $"arn:aws:eks:{Region}:{Account}:cluster/{name}";

    // Test controls

    public Cluster? Cluster(string name) => _clusters.GetValueOrDefault(name);

    public void Seed(Cluster cluster) => _clusters[cluster.Name!] = cluster;

    public void Change(string name, Func<Cluster, Cluster> change) => _clusters[name] = change(_clusters[name]);

    /// <summary>CREATING → ACTIVE, with what EKS reports once a cluster is up.</summary>
    public void Activate(string name) => Change(name, c => c with
    {
        Status = ClusterStatus.Active,
        Endpoint = $"https://{name}.eks.example",
        CertificateAuthority = new Certificate { Data = "Q0EtREFUQQ==" },
        Identity = new Identity { Oidc = new Oidc { Issuer = $"https://oidc.eks.example/id/{name}" } },
        PlatformVersion = "eks.1",
    });

    /// <summary>DELETING → gone.</summary>
    public void FinishDeleting(string name)
    {
        if (_clusters[name].Status != ClusterStatus.Deleting) throw new InvalidOperationException($"cluster {name} is not DELETING");
        _clusters.Remove(name);
    }

    public IReadOnlyList<string> PendingUpdates => [.. _updates.Values.Where(u => u.Update.Status == UpdateStatus.InProgress).Select(u => u.Update.Id!)];

    /// <summary>Ends an update: a success applies it; the resource is ACTIVE again either way.</summary>
    public void CompleteUpdate(string id, UpdateStatus outcome = UpdateStatus.Successful, params UpdateError[] errors)
    {
        var pending = _updates[id];
        _updates[id] = pending with { Update = pending.Update with { Status = outcome, Errors = errors.Length > 0 ? errors : null } };
        if (pending.Target.CapabilityName is { } capability)
        {
            var key = (pending.Target.ClusterName, capability);
            var current = _capabilities[key] with { Status = outcome == UpdateStatus.Successful ? "ACTIVE" : "UPDATE_FAILED" };
            _capabilities[key] = outcome == UpdateStatus.Successful ? pending.ApplyCapability!(current) : current;
        }
        else if (pending.Target.AddonName is { } addon)
        {
            var key = (pending.Target.ClusterName, addon);
            var current = _addons[key] with { Status = outcome == UpdateStatus.Successful ? "ACTIVE" : "UPDATE_FAILED" };
            _addons[key] = outcome == UpdateStatus.Successful ? pending.ApplyAddon!(current) : current;
        }
        else if (pending.Target.NodegroupName is { } ng)
        {
            var key = (pending.Target.ClusterName, ng);
            var current = _nodegroups[key] with { Status = NodegroupStatus.Active };
            _nodegroups[key] = outcome == UpdateStatus.Successful ? pending.ApplyNodegroup!(current) : current;
        }
        else
        {
            var current = _clusters[pending.Target.ClusterName] with { Status = ClusterStatus.Active };
            _clusters[pending.Target.ClusterName] = outcome == UpdateStatus.Successful ? pending.ApplyCluster!(current) : current;
        }
    }

    public void CompleteAllUpdates()
    {
        foreach (var id in PendingUpdates) CompleteUpdate(id);
    }

    // IEksClusters

    public Task<Cluster?> FindAsync(string name, CancellationToken cancellationToken)
    {
        Call("DescribeCluster", name);
        return Task.FromResult(_clusters.GetValueOrDefault(name));
    }

    public Task<Cluster> CreateAsync(ClusterCreate create, CancellationToken cancellationToken)
    {
        Call("CreateCluster", create.Name);
        if (_clusters.ContainsKey(create.Name)) throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", $"Cluster already exists with name: {create.Name}");
        var request = ClusterMapping.ToCreateRequest(create.Name, create.Spec, create.SubnetIds, create.RoleArn, create.Owner, create.AutoModeNodeRoleArn);
        CheckAutoModeCreate(request);
        var cluster = new Cluster
        {
            Name = request.Name,
            Arn = ClusterArn(request.Name),
            Version = request.Version ?? DefaultVersion,
            RoleArn = request.RoleArn,
            Status = ClusterStatus.Creating,
            ResourcesVpcConfig = new VpcConfigResponse
            {
                SubnetIds = request.ResourcesVpcConfig.SubnetIds,
                SecurityGroupIds = request.ResourcesVpcConfig.SecurityGroupIds ?? [],
                EndpointPublicAccess = request.ResourcesVpcConfig.EndpointPublicAccess ?? true,
                EndpointPrivateAccess = request.ResourcesVpcConfig.EndpointPrivateAccess ?? false,
                PublicAccessCidrs = request.ResourcesVpcConfig.PublicAccessCidrs ?? ["0.0.0.0/0"],
                VpcId = "vpc-0a1b2c3d",
                ClusterSecurityGroupId = "sg-0cluster0",
            },
            Logging = request.Logging,
            Tags = request.Tags,
            EncryptionConfig = request.EncryptionConfig,
            AccessConfig = request.AccessConfig is { } access ? new AccessConfigResponse { AuthenticationMode = access.AuthenticationMode } : null,
            UpgradePolicy = request.UpgradePolicy,
            DeletionProtection = request.DeletionProtection ?? false,
            ClientRequestToken = request.ClientRequestToken,
            CreatedAt = time.GetUtcNow(),
        };
        _clusters[cluster.Name!] = WithCreateSettings(cluster, request);
        return Task.FromResult(cluster);
    }

    public IReadOnlyList<ClusterChange> ChangesFor(string name, EksClusterSpec spec, Cluster observed, string? autoModeNodeRoleArn = null) =>
        ClusterMapping.ConfigChanges(name, spec, observed, autoModeNodeRoleArn);

    public Task<Update> ApplyAsync(ClusterChange change, CancellationToken cancellationToken)
    {
        if (change.Encryption is { } encryption)
        {
            Call("AssociateEncryptionConfig", encryption.Name);
            return Task.FromResult(StartClusterUpdate(encryption.Name, "AssociateEncryptionConfig", c => c with { EncryptionConfig = encryption.EncryptionConfig }));
        }

        var request = change.Request!;
        Call("UpdateClusterConfig", $"{request.Name} {change.Field}");
        var type = SettingsUpdateType(request, Existing(request.Name)) ?? request switch
        {
            { Logging: not null } => EksValues.UpdateTypes.LoggingUpdate,
            { ResourcesVpcConfig.SecurityGroupIds: not null } => EksValues.UpdateTypes.VpcConfigUpdate,
            { ResourcesVpcConfig: not null } => EksValues.UpdateTypes.EndpointAccessUpdate,
            { AccessConfig: not null } => EksValues.UpdateTypes.AccessConfigUpdate,
            { UpgradePolicy: not null } => EksValues.UpdateTypes.UpgradePolicyUpdate,
            _ => "DeletionProtectionUpdate",
        };
        return Task.FromResult(StartClusterUpdate(request.Name, type, c => ApplyConfig(c, request)));
    }

    public Task<Update> UpgradeAsync(string name, string version, bool force, CancellationToken cancellationToken)
    {
        Call("UpdateClusterVersion", $"{name} {version}{(force ? " force" : "")}");
        if (!force && _insights.GetValueOrDefault(name, []).Any(i => i.KubernetesVersion == version && i.InsightStatus?.Status == "ERROR"))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidStateException",
                "Upgrade readiness issues detected. Call the EKS ListInsights API to view upgrade blocking issues detected by EKS. Pass the force flag to override upgrade readiness errors and proceed with upgrade.");
        }

        var current = Existing(name).Version!;
        if (Minor.Of(version) != Minor.Of(current) + 1)
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", $"Unsupported Kubernetes minor version update from {current} to {version}");
        }

        var behind = _nodegroups.Where(n => n.Key.Cluster == name && Minor.Compare(n.Value.Version!, current) < 0).Select(n => n.Key.Name).ToList();
        if (behind.Count > 0) throw Error(AwsErrorKind.Invalid, "InvalidRequestException", $"Nodegroups {string.Join(",", behind)} must be updated to match cluster version {current}");
        return Task.FromResult(StartClusterUpdate(name, EksValues.UpdateTypes.VersionUpdate, c => c with { Version = version }));
    }

    public Task<Update> SetDeletionProtectionAsync(string name, bool enabled, CancellationToken cancellationToken)
    {
        Call("UpdateClusterConfig", $"{name} deletionProtection={enabled}");
        return Task.FromResult(StartClusterUpdate(name, "DeletionProtectionUpdate", c => c with { DeletionProtection = enabled }));
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Call("DeleteCluster", name);
        var cluster = Existing(name);
        if (cluster.DeletionProtection == true) throw Error(AwsErrorKind.Invalid, "InvalidRequestException", $"Cluster {name} has deletion protection enabled");
        if (_nodegroups.Keys.Any(k => k.Cluster == name) || _profiles.Keys.Any(k => k.Cluster == name))
        {
            throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Cluster has nodegroups or Fargate profiles attached");
        }

        _clusters[name] = cluster with { Status = ClusterStatus.Deleting };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ChildrenAsync(string name, CancellationToken cancellationToken)
    {
        Call("ListNodegroups", name);
        Call("ListFargateProfiles", name);
        return Task.FromResult<IReadOnlyList<string>>([
            .. _nodegroups.Keys.Where(k => k.Cluster == name).Select(k => $"nodegroup {k.Name}"),
            .. _profiles.Keys.Where(k => k.Cluster == name).Select(k => $"fargate profile {k.Name}"),
        ]);
    }

    public Task<SubnetResolution> ResolveSubnetsAsync(ClusterVpc vpc, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeSubnets");
        return Task.FromResult(SubnetProblem is { } problem
            ? new SubnetResolution([], problem)
            : new SubnetResolution([.. vpc.SubnetIds ?? ["subnet-0aaa0001", "subnet-0bbb0002"]], null));
    }

    // IEksUpdates

    public Task<Update?> DescribeAsync(UpdateTarget target, string updateId, CancellationToken cancellationToken)
    {
        Call("DescribeUpdate", updateId);
        return Task.FromResult(_updates.TryGetValue(updateId, out var pending) && pending.Target == target ? pending.Update : null);
    }

    private Cluster Existing(string name) =>
        _clusters.GetValueOrDefault(name) ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"No cluster found for name: {name}.");

    private Update StartClusterUpdate(string name, string type, Func<Cluster, Cluster> apply)
    {
        var cluster = Existing(name);
        if (cluster.Status != ClusterStatus.Active) throw Error(AwsErrorKind.InUse, "ResourceInUseException", $"Cluster {name} is {cluster.Status}");
        var update = NewUpdate(type);
        _updates[update.Id!] = new PendingUpdate(new UpdateTarget(name), update, apply, null);
        _clusters[name] = cluster with { Status = ClusterStatus.Updating };
        return update;
    }

    private Update NewUpdate(string type) => new() { Id = $"upd-{++_ids:D4}", Status = UpdateStatus.InProgress, Type = type, CreatedAt = time.GetUtcNow() };

    private static Cluster ApplyConfig(Cluster c, UpdateClusterConfigRequest r)
    {
        if (r.Logging is { } logging) c = c with { Logging = logging };
        if (r.ResourcesVpcConfig is { } vpc)
        {
            var v = c.ResourcesVpcConfig ?? new VpcConfigResponse();
            c = c with
            {
                ResourcesVpcConfig = v with
                {
                    SecurityGroupIds = vpc.SecurityGroupIds ?? v.SecurityGroupIds,
                    EndpointPublicAccess = vpc.EndpointPublicAccess ?? v.EndpointPublicAccess,
                    EndpointPrivateAccess = vpc.EndpointPrivateAccess ?? v.EndpointPrivateAccess,
                    PublicAccessCidrs = vpc.PublicAccessCidrs ?? v.PublicAccessCidrs,
                },
            };
        }

        if (r.AccessConfig is { } access) c = c with { AccessConfig = new AccessConfigResponse { AuthenticationMode = access.AuthenticationMode } };
        if (r.UpgradePolicy is { } policy) c = c with { UpgradePolicy = policy };
        if (r.DeletionProtection is { } protection) c = c with { DeletionProtection = protection };
        return ApplySettings(c, r);
    }

    private sealed record PendingUpdate(
        UpdateTarget Target, Update Update, Func<Cluster, Cluster>? ApplyCluster, Func<Nodegroup, Nodegroup>? ApplyNodegroup, Func<EksAddon, EksAddon>? ApplyAddon = null,
        Func<EksCapability, EksCapability>? ApplyCapability = null);
}
