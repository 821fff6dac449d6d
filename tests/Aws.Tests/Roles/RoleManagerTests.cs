using EksOperator.Aws.Iam;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Roles;

public sealed class RoleManagerTests
{
    private static readonly Owner Owner = new("uid-1", "default", "demo");

    [Fact]
    public async Task A_new_role_is_created_and_given_its_policies_without_listing_them()
    {
        var iam = new RecordingIam();
        var manager = new RoleManager(iam, new FakeTimeProvider());

        var result = await manager.EnsureAsync(OwnedRoleSpec.NodeRole("demo", "general"), Owner, Adoption.None, CancellationToken.None);

        Assert.Equal(RoleOutcome.Ready, result.Outcome);
        Assert.Equal(["GetRole", "CreateRole", "AttachRolePolicy", "AttachRolePolicy", "AttachRolePolicy"], iam.Calls);
        Assert.Equal(3, iam.Roles["demo-general-node"].Policies.Count);
    }

    [Fact]
    public async Task Turning_on_auto_mode_gives_an_existing_cluster_role_its_policies_and_the_TagSession_trust_once()
    {
        var iam = new RecordingIam();
        var time = new FakeTimeProvider();
        var manager = new RoleManager(iam, time);
        await manager.EnsureAsync(OwnedRoleSpec.ClusterRole("demo"), Owner, Adoption.None, CancellationToken.None);
        Assert.DoesNotContain("sts:TagSession", iam.Trust["demo-eks-cluster"], StringComparison.Ordinal);
        iam.Calls.Clear();

        // Within the minute a known role is not read again, unless what it must carry changed.
        await manager.EnsureAsync(OwnedRoleSpec.ClusterRole("demo", autoMode: true), Owner, Adoption.None, CancellationToken.None);

        Assert.Equal(["GetRole", "UpdateAssumeRolePolicy", "ListAttachedRolePolicies", "AttachRolePolicy", "AttachRolePolicy", "AttachRolePolicy", "AttachRolePolicy"], iam.Calls);
        Assert.Contains("\"sts:TagSession\"", iam.Trust["demo-eks-cluster"], StringComparison.Ordinal);
        Assert.Contains("\"eks.amazonaws.com\"", iam.Trust["demo-eks-cluster"], StringComparison.Ordinal);
        Assert.Equal(5, iam.Roles["demo-eks-cluster"].Policies.Count);

        iam.Calls.Clear();
        time.Advance(TimeSpan.FromMinutes(2));
        await manager.EnsureAsync(OwnedRoleSpec.ClusterRole("demo", autoMode: true), Owner, Adoption.None, CancellationToken.None);
        Assert.Equal(["GetRole", "ListAttachedRolePolicies"], iam.Calls);
    }

    [Fact]
    public async Task A_role_ensured_moments_ago_is_not_read_again_but_is_after_a_minute()
    {
        var iam = new RecordingIam();
        var time = new FakeTimeProvider();
        var manager = new RoleManager(iam, time);
        var spec = OwnedRoleSpec.ClusterRole("demo");
        await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        iam.Calls.Clear();

        time.Advance(TimeSpan.FromSeconds(10));
        var again = await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        Assert.Equal(RoleOutcome.Ready, again.Outcome);
        Assert.Equal(iam.Roles["demo-eks-cluster"].Arn, again.Arn);
        Assert.Empty(iam.Calls);

        time.Advance(RoleManager.RecentlyEnsured);
        await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        Assert.Equal(["GetRole", "ListAttachedRolePolicies"], iam.Calls);
    }

    [Fact]
    public async Task The_memory_is_per_owner_and_forgotten_on_delete()
    {
        var iam = new RecordingIam();
        var manager = new RoleManager(iam, new FakeTimeProvider());
        var spec = OwnedRoleSpec.ClusterRole("demo");
        await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);

        // Another object asking for the same name is checked against IAM (and refused), not answered from memory.
        var other = await manager.EnsureAsync(spec, Owner with { Uid = "uid-2" }, Adoption.None, CancellationToken.None);
        Assert.Equal(RoleOutcome.NotOurs, other.Outcome);

        Assert.True(await manager.DeleteAsync(spec, Owner, CancellationToken.None));
        iam.Calls.Clear();
        await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        Assert.Equal(["GetRole", "CreateRole", "AttachRolePolicy"], iam.Calls);
    }

    [Fact]
    public async Task A_role_released_by_a_deleted_object_is_reclaimed_only_with_the_adopt_annotation()
    {
        var iam = new RecordingIam();
        var time = new FakeTimeProvider();
        var spec = OwnedRoleSpec.ClusterRole("demo");
        await new RoleManager(iam, time).EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        await new RoleManager(iam, time).ReleaseAsync(spec.Name, Owner, CancellationToken.None);
        Assert.True(iam.Roles[spec.Name].Tags.ContainsKey(Entities.OwnershipTags.Released));

        // The same namespace/name applied again: a new UID, and the old one is gone.
        var again = Owner with { Uid = "uid-new" };
        var manager = new RoleManager(iam, time);
        var refused = await manager.EnsureAsync(spec, again, new Adoption(false, _ => false), CancellationToken.None);
        Assert.Equal(RoleOutcome.NotOurs, refused.Outcome);
        Assert.Contains("adopt", refused.Message, StringComparison.Ordinal);

        var live = await manager.EnsureAsync(spec, again, new Adoption(true, uid => uid == Owner.Uid), CancellationToken.None);
        Assert.Equal(RoleOutcome.NotOurs, live.Outcome); // the old owner still exists: never taken from it

        iam.Calls.Clear();
        var taken = await manager.EnsureAsync(spec, again, new Adoption(true, _ => false), CancellationToken.None);
        Assert.Equal(RoleOutcome.Ready, taken.Outcome);
        Assert.Equal("uid-new", iam.Roles[spec.Name].Tags[Entities.OwnershipTags.OwnerUid]);
        Assert.False(iam.Roles[spec.Name].Tags.ContainsKey(Entities.OwnershipTags.Released));
        Assert.Equal(["GetRole", "TagRole", "UntagRole", "ListAttachedRolePolicies"], iam.Calls);
    }

    [Fact]
    public async Task Another_namespaces_unreleased_role_is_never_reclaimable()
    {
        var iam = new RecordingIam();
        var spec = OwnedRoleSpec.ClusterRole("demo");
        await new RoleManager(iam, new FakeTimeProvider()).EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);

        var stranger = new Owner("uid-9", "team-b", "demo");
        var result = await new RoleManager(iam, new FakeTimeProvider()).EnsureAsync(spec, stranger, new Adoption(true, _ => false), CancellationToken.None);

        Assert.Equal(RoleOutcome.NotOurs, result.Outcome);
        Assert.Equal(Owner.Uid, iam.Roles[spec.Name].Tags[Entities.OwnershipTags.OwnerUid]);
    }

    [Fact]
    public async Task After_an_upgrade_a_role_under_its_former_name_is_reused_not_duplicated_and_then_deleted()
    {
        var iam = new RecordingIam();
        var owner = new Owner("uid-spot", "default", "shop-spot");
        var spec = OwnedRoleSpec.NodeRole("shop", "shop-spot");
        iam.Seed("shop-shop-spot-node", owner.OwnershipTags, spec.ManagedPolicyArns.ToArray());
        var manager = new RoleManager(iam, new FakeTimeProvider());

        var ensured = await manager.EnsureAsync(spec, owner, Adoption.None, CancellationToken.None);

        Assert.Equal((RoleOutcome.Ready, "arn:aws:iam::123456789012:role/shop-shop-spot-node"), (ensured.Outcome, ensured.Arn));
        Assert.Equal(["GetRole shop-spot-node", "GetRole shop-shop-spot-node", "ListAttachedRolePolicies shop-shop-spot-node"], iam.CallsOnRoles);
        Assert.DoesNotContain("shop-spot-node", iam.Roles.Keys);

        Assert.True(await manager.DeleteAsync(spec, owner, CancellationToken.None));
        Assert.Empty(iam.Roles);
        Assert.Contains("DeleteRole shop-shop-spot-node", iam.CallsOnRoles);
    }

    [Fact]
    public async Task A_role_under_the_former_name_that_is_not_ours_is_neither_reused_nor_deleted()
    {
        var iam = new RecordingIam();
        var spec = OwnedRoleSpec.FargateRole("shop", "shop-web");
        iam.Seed("shop-shop-web-fargate", (Owner with { Uid = "uid-someone-else" }).OwnershipTags);
        var manager = new RoleManager(iam, new FakeTimeProvider());

        var ensured = await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        Assert.Equal((RoleOutcome.Ready, "arn:aws:iam::123456789012:role/shop-web-fargate"), (ensured.Outcome, ensured.Arn));

        await manager.DeleteAsync(spec, Owner, CancellationToken.None);
        Assert.Equal(["shop-shop-web-fargate"], iam.Roles.Keys);
    }

    [Fact]
    public async Task Deletion_after_an_interrupted_upgrade_removes_the_role_under_both_names()
    {
        // A node role made under the old name just before the upgrade, and (had it been missed) the new one made after it.
        var iam = new RecordingIam();
        var spec = OwnedRoleSpec.NodeRole("demo", "demo-general");
        iam.Seed("demo-demo-general-node", Owner.OwnershipTags, "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
        iam.Seed("demo-general-node", Owner.OwnershipTags, "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");

        Assert.True(await new RoleManager(iam, new FakeTimeProvider()).DeleteAsync(spec, Owner, CancellationToken.None));

        Assert.Empty(iam.Roles);
        Assert.Equal(2, iam.Calls.Count(c => c == "DetachRolePolicy"));
    }

    [Fact]
    public async Task A_name_that_did_not_change_costs_no_extra_call()
    {
        var iam = new RecordingIam();
        var manager = new RoleManager(iam, new FakeTimeProvider());
        var spec = OwnedRoleSpec.NodeRole("shop", "spot");
        Assert.Empty(spec.FormerNames);

        await manager.EnsureAsync(spec, Owner, Adoption.None, CancellationToken.None);
        await manager.DeleteAsync(spec, Owner, CancellationToken.None);

        Assert.Equal(2, iam.Calls.Count(c => c == "GetRole"));
    }

    private sealed class RecordingIam : IIamApi
    {
        public Task<IamOidcProvider?> GetOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<string> CreateOpenIDConnectProviderAsync(CreateOidcProviderRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task TagOpenIDConnectProviderAsync(string providerArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public List<string> Calls { get; } = [];

        /// <summary>The same calls with the role each was about, e.g. "GetRole shop-spot-node".</summary>
        public List<string> CallsOnRoles { get; } = [];

        private void Record(string operation, string roleName)
        {
            Calls.Add(operation);
            CallsOnRoles.Add($"{operation} {roleName}");
        }

        public void Seed(string roleName, IReadOnlyDictionary<string, string> tags, params string[] policies) =>
            Roles[roleName] = ($"arn:aws:iam::123456789012:role/{roleName}", new Dictionary<string, string>(tags), new HashSet<string>(policies, StringComparer.Ordinal));

        public Dictionary<string, (string Arn, Dictionary<string, string> Tags, HashSet<string> Policies)> Roles { get; } = new(StringComparer.Ordinal);

        public Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
        {
            Record("GetRole", roleName);
            return Task.FromResult(Roles.TryGetValue(roleName, out var r)
                ? new IamRole { RoleName = roleName, Arn = r.Arn, Tags = r.Tags, AssumeRolePolicyDocument = Trust.GetValueOrDefault(roleName) }
                : null);
        }

        public Task<IamRole> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default)
        {
            Record("CreateRole", request.RoleName);
            var role = ($"arn:aws:iam::123456789012:role/{request.RoleName}", new Dictionary<string, string>(request.Tags ?? new Dictionary<string, string>()), new HashSet<string>(StringComparer.Ordinal));
            Roles[request.RoleName] = role;
            Trust[request.RoleName] = request.AssumeRolePolicyDocument;
            return Task.FromResult(new IamRole { RoleName = request.RoleName, Arn = role.Item1, Tags = role.Item2 });
        }

        public Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
        {
            Record("TagRole", roleName);
            foreach (var (k, v) in tags) Roles[roleName].Tags[k] = v;
            return Task.CompletedTask;
        }

        public Task UntagRoleAsync(string roleName, IReadOnlyCollection<string> tagKeys, CancellationToken cancellationToken = default)
        {
            Calls.Add("UntagRole");
            foreach (var k in tagKeys) Roles[roleName].Tags.Remove(k);
            return Task.CompletedTask;
        }

        /// <summary>Trust policies by role, as created or last updated.</summary>
        public Dictionary<string, string> Trust { get; } = new(StringComparer.Ordinal);

        public Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default)
        {
            Record("UpdateAssumeRolePolicy", roleName);
            Trust[roleName] = policyDocument;
            return Task.CompletedTask;
        }

        public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default)
        {
            Record("AttachRolePolicy", roleName);
            Roles[roleName].Policies.Add(policyArn);
            return Task.CompletedTask;
        }

        public Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default)
        {
            Record("DetachRolePolicy", roleName);
            Roles[roleName].Policies.Remove(policyArn);
            return Task.CompletedTask;
        }

        public Task<ListAttachedRolePoliciesResponse> ListAttachedRolePoliciesAsync(string roleName, string? marker = null, int? maxItems = null, CancellationToken cancellationToken = default)
        {
            Record("ListAttachedRolePolicies", roleName);
            return Task.FromResult(new ListAttachedRolePoliciesResponse
            {
                AttachedPolicies = [.. Roles[roleName].Policies.Select(p => new AttachedPolicy(p.Split('/')[^1], p))],
            });
        }

        public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default)
        {
            Record("DeleteRole", roleName);
            Roles.Remove(roleName);
            return Task.CompletedTask;
        }
    }
}
