namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Creates seed resources directly in the world, bypassing the APIs (and their rules and delays).</summary>
internal static class Seeder
{
    public static AwsSeedResult Seed(World world, AwsSeed seed)
    {
        lock (world.Gate)
        {
            world.Tick();
            var roles = new List<string>();
            foreach (var r in seed.Roles)
            {
                if (world.Roles.ContainsKey(r.Name))
                {
                    throw new ArgumentException($"Role {r.Name} already exists.", nameof(seed));
                }

                var path = string.IsNullOrEmpty(r.Path) ? "/" : r.Path;
                var role = world.AddRole(r.Name, path, r.AssumeRolePolicyDocument, null, 3600,
                    r.Propagated ? DateTimeOffset.MinValue : world.Now + world.Scaled(world.Options.Durations.RolePropagation));
                role.AttachedPolicies.AddRange(r.PolicyArns);
                role.Tags.AddRange(r.Tags);
                roles.Add(role.Arn);
            }

            var vpcs = new List<string>();
            foreach (var v in seed.Vpcs)
            {
                var tags = Tags(v.Tags);
                if (v.Name is not null)
                {
                    tags["Name"] = v.Name;
                }

                vpcs.Add(world.AddVpc(v.CidrBlock, isDefault: false, tags).Id);
            }

            var subnets = new List<string>();
            foreach (var s in seed.Subnets)
            {
                if (!s.AvailabilityZone.StartsWith(world.Region, StringComparison.Ordinal) || s.AvailabilityZone.Length != world.Region.Length + 1)
                {
                    throw new ArgumentException($"Zone {s.AvailabilityZone} is not in region {world.Region}.", nameof(seed));
                }

                subnets.Add(world.AddSubnet(ResolveVpc(world, s.Vpc), s.CidrBlock, s.AvailabilityZone, s.Private, defaultForAz: false, Tags(s.Tags)).Id);
            }

            var groups = new List<string>();
            foreach (var g in seed.SecurityGroups)
            {
                groups.Add(world.AddSecurityGroup(g.Name, g.Description, ResolveVpc(world, g.Vpc), ingressFromSelf: false, Tags(g.Tags)).Id);
            }

            var clusters = new List<string>();
            foreach (var c in seed.Clusters)
            {
                clusters.Add(SeedCluster(world, c));
            }

            return new AwsSeedResult(roles, vpcs, subnets, groups, clusters);
        }
    }

    private static string SeedCluster(World world, AwsSeedCluster seed)
    {
        if (world.Clusters.ContainsKey(seed.Name))
        {
            throw new ArgumentException($"Cluster {seed.Name} already exists.", nameof(seed));
        }

        var subnetIds = seed.SubnetIds?.ToList() ?? [.. world.DefaultNetwork.PublicSubnetIds, .. world.DefaultNetwork.PrivateSubnetIds];
        var vpcId = subnetIds.Count > 0 && world.Subnets.TryGetValue(subnetIds[0], out var first) ? first.VpcId : world.DefaultNetwork.VpcId;
        var sg = world.AddSecurityGroup($"eks-cluster-sg-{seed.Name}-{world.NewHex(10)}", "EKS created security group", vpcId, ingressFromSelf: true,
            new(StringComparer.Ordinal) { ["aws:eks:cluster-name"] = seed.Name, [$"kubernetes.io/cluster/{seed.Name}"] = "owned" });
        var cluster = new Cluster
        {
            Name = seed.Name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:cluster/{seed.Name}",
            Id = world.NewHex(32, upper: true),
            CreatedAt = world.Now,
            Version = seed.Version ?? world.Options.DefaultVersion,
            PlatformVersion = world.Versions.PlatformVersionOf(seed.Version ?? world.Options.DefaultVersion),
            RoleArn = seed.RoleArn ?? $"arn:aws:iam::{world.Account}:role/{seed.Name}-eks-cluster",
            Status = "ACTIVE",
            SubnetIds = subnetIds,
            ClusterSecurityGroupId = sg.Id,
            VpcId = vpcId,
            Tags = Tags(seed.Tags),
            AuthenticationMode = seed.AuthenticationMode is "CONFIG_MAP" or "API_AND_CONFIG_MAP" or "API"
                ? seed.AuthenticationMode
                : throw new ArgumentException($"Unknown authentication mode {seed.AuthenticationMode}.", nameof(seed)),
        };
        world.Clusters[seed.Name] = cluster;
        return cluster.Arn;
    }

    private static string ResolveVpc(World world, string? vpc)
    {
        if (vpc is null)
        {
            return world.DefaultNetwork.VpcId;
        }

        if (world.Vpcs.ContainsKey(vpc))
        {
            return vpc;
        }

        return world.Vpcs.Values.FirstOrDefault(v => v.Tags.TryGetValue("Name", out var name) && name == vpc)?.Id
            ?? throw new ArgumentException($"VPC {vpc} not found (neither an id nor a Name).", nameof(vpc));
    }

    private static Dictionary<string, string> Tags(IReadOnlyDictionary<string, string> tags) => new(tags, StringComparer.Ordinal);
}
