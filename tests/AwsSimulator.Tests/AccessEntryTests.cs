using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Access entries and access policies: identifiers, defaults, the rules EKS applies and its exact errors (fake clock, no signatures).</summary>
public sealed partial class AccessEntryTests
{
    private const string Admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    private const string View = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    private const string NodeRole = "arn:aws:iam::123456789012:role/node-role";
    private const string NotFound = "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.";

    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    private static async Task<TestSim> StartAsync(string mode = "API")
    {
        var sim = await TestSim.StartAsync();
        sim.Simulator.Seed(new AwsSeed
        {
            Roles = [new AwsSeedRole { Name = "admin", Path = "/team/", AssumeRolePolicyDocument = TestSim.NodeTrust }],
            Clusters = [new AwsSeedCluster { Name = "c", AuthenticationMode = mode }],
        });
        return sim;
    }

    private static string Entry(string principalArn, string suffix = "") => $"/clusters/c/access-entries/{Uri.EscapeDataString(principalArn)}{suffix}";

    private static JsonObject Body(EksReply reply, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.True(reply.Status == expected, $"{reply.Status} {reply.Body?.ToJsonString()}");
        return reply.Body!.AsObject();
    }

    private static void AssertError(EksReply reply, HttpStatusCode status, string code, string message)
    {
        Assert.Equal((status, code, message), (reply.Status, reply.ErrorType, reply.Message));
        Assert.Equal("c", (string?)reply.Body!["clusterName"]);
    }

    [Fact]
    public async Task Standard_entry_for_a_role_gets_the_assumed_role_username_and_an_access_entry_arn()
    {
        await using var sim = await StartAsync();
        var entry = Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = "arn:aws:iam::123456789012:role/team/admin" }))["accessEntry"]!;

        Assert.Equal("c", (string?)entry["clusterName"]);
        Assert.Equal("STANDARD", (string?)entry["type"]);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/admin/{{SessionName}}", (string?)entry["username"]); // the role path is dropped
        Assert.Matches(EntryArn(), (string)entry["accessEntryArn"]!);
        Assert.StartsWith("arn:aws:eks:us-west-2:123456789012:access-entry/c/role/123456789012/admin/", (string)entry["accessEntryArn"]!, StringComparison.Ordinal);
        Assert.Empty(entry["kubernetesGroups"]!.AsArray());
        Assert.Empty(entry["tags"]!.AsObject());
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds(), (long)entry["createdAt"]!.GetValue<double>());
        Assert.Equal(entry["createdAt"]!.GetValue<double>(), entry["modifiedAt"]!.GetValue<double>());

        var described = Body(await sim.EksAsync(Get, Entry("arn:aws:iam::123456789012:role/team/admin")))["accessEntry"]!;
        Assert.Equal(entry.ToJsonString(), described.ToJsonString());
    }

    [Theory]
    [InlineData("STANDARD", "arn:aws:iam::210987654321:user/ops/alice", "arn:aws:iam::210987654321:user/ops/alice")]
    [InlineData("STANDARD", "arn:aws:iam::210987654321:role/other-account", "arn:aws:sts::210987654321:assumed-role/other-account/{{SessionName}}")]
    [InlineData("EC2_LINUX", NodeRole, "system:node:{{EC2PrivateDNSName}}")]
    [InlineData("EC2_WINDOWS", NodeRole, "system:node:{{EC2PrivateDNSName}}")]
    [InlineData("EC2", NodeRole, "system:node:{{EC2PrivateDNSName}}")]
    [InlineData("FARGATE_LINUX", NodeRole, "system:node:{{SessionName}}")]
    [InlineData("HYBRID_LINUX", NodeRole, "system:node:{{SessionName}}")]
    public async Task Default_username_follows_the_type_and_the_principal(string type, string principalArn, string username)
    {
        await using var sim = await StartAsync();
        var entry = Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn, type }))["accessEntry"]!;
        Assert.Equal((type, username), ((string?)entry["type"], (string?)entry["username"]));
    }

    [Fact]
    public async Task Config_map_clusters_refuse_every_access_entry_call_with_the_observed_message()
    {
        await using var sim = await StartAsync(mode: "CONFIG_MAP");
        const string message = "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";
        AssertError(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }), HttpStatusCode.BadRequest, "InvalidRequestException", message);
        AssertError(await sim.EksAsync(Get, Entry(NodeRole)), HttpStatusCode.BadRequest, "InvalidRequestException", message);
        AssertError(await sim.EksAsync(Get, "/clusters/c/access-entries"), HttpStatusCode.BadRequest, "InvalidRequestException", message);
        AssertError(await sim.EksAsync(Post, Entry(NodeRole, "/access-policies"), new { policyArn = Admin, accessScope = new { type = "cluster" } }),
            HttpStatusCode.BadRequest, "InvalidRequestException", message);

        // The global catalogue does not depend on any cluster.
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/access-policies")).Status);
    }

    [Fact]
    public async Task Duplicate_and_unknown_entries_have_AWS_codes_and_messages()
    {
        await using var sim = await StartAsync();
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        AssertError(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }),
            HttpStatusCode.Conflict, "ResourceInUseException", "The specified access entry resource is already in use on this cluster.");

        const string absent = "arn:aws:iam::123456789012:user/nobody";
        AssertError(await sim.EksAsync(Get, Entry(absent)), HttpStatusCode.NotFound, "ResourceNotFoundException", NotFound);
        AssertError(await sim.EksAsync(Post, Entry(absent), new { username = "x:y" }), HttpStatusCode.NotFound, "ResourceNotFoundException", NotFound);
        AssertError(await sim.EksAsync(Delete, Entry(absent)), HttpStatusCode.NotFound, "ResourceNotFoundException", NotFound);
        AssertError(await sim.EksAsync(Post, Entry(absent, "/access-policies"), new { policyArn = Admin, accessScope = new { type = "cluster" } }),
            HttpStatusCode.NotFound, "ResourceNotFoundException", NotFound);
        Assert.Equal("No cluster found for name: nope.", (await sim.EksAsync(Get, "/clusters/nope/access-entries")).Message);
    }

    [Theory]
    [InlineData("not-an-arn", "The principalArn parameter format is not valid")]
    [InlineData("arn:aws:iam::12345:role/short-account", "The principalArn parameter format is not valid")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/node-role/session", "The specified principalArn is invalid: invalid principal.")]
    [InlineData("arn:aws:iam::123456789012:group/admins", "The specified principalArn is invalid: invalid principal.")]
    [InlineData("arn:aws:iam::123456789012:role/no-such-role", "The specified principalArn is invalid: invalid principal.")]
    [InlineData("arn:aws:iam::123456789012:role/wrong/path/admin", "The specified principalArn is invalid: invalid principal.")]
    [InlineData("arn:aws:iam::123456789012:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
        "The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role")]
    public async Task Principals_that_are_malformed_sessions_missing_or_service_linked_are_refused(string principalArn, string message)
    {
        await using var sim = await StartAsync();
        AssertError(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn }), HttpStatusCode.BadRequest, "InvalidParameterException", message);
        Assert.Empty(Body(await sim.EksAsync(Get, "/clusters/c/access-entries"))["accessEntries"]!.AsArray());
    }

    [Theory]
    [InlineData("system:masters", null, "The kubernetes group name system:masters is invalid, it cannot start with system:")]
    [InlineData(null, "system:admin", "The username must not begin with system:")]
    [InlineData(null, "eks:me", "Access Entry username cannot start with \"eks:\".")]
    [InlineData(null, "amazon:me", "Access Entry username cannot start with \"amazon:\".")]
    [InlineData(null, "{{SessionName}}", "Access Entry username cannot start with \"session\".")]
    [InlineData(null, "admin-{{SessionName}}", "Access Entry username must have a colon before {{SessionName}}.")]
    public async Task Reserved_group_names_and_usernames_are_refused(string? group, string? username, string message)
    {
        await using var sim = await StartAsync();
        var body = new Dictionary<string, object?> { ["principalArn"] = NodeRole, ["kubernetesGroups"] = group is null ? null : new[] { "devs", group }, ["username"] = username }
            .Where(kv => kv.Value is not null).ToDictionary();
        AssertError(await sim.EksAsync(Post, "/clusters/c/access-entries", body), HttpStatusCode.BadRequest, "InvalidParameterException", message);

        // The same rules hold on update.
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        AssertError(await sim.EksAsync(Post, Entry(NodeRole), body.Where(kv => kv.Key != "principalArn").ToDictionary()), HttpStatusCode.BadRequest, "InvalidParameterException", message);
    }

    [Fact]
    public async Task Custom_username_with_a_colon_before_the_session_name_is_kept()
    {
        await using var sim = await StartAsync();
        var entry = Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole, username = "admin:{{SessionName}}", kubernetesGroups = new[] { "devs" } }))["accessEntry"]!;
        Assert.Equal("admin:{{SessionName}}", (string?)entry["username"]);
        Assert.Equal(["devs"], entry["kubernetesGroups"]!.AsArray().Select(g => (string)g!));
    }

    [Fact]
    public async Task Node_types_take_only_own_account_roles_and_no_groups_username_or_policies()
    {
        await using var sim = await StartAsync();
        var entries = "/clusters/c/access-entries";
        AssertError(await sim.EksAsync(Post, entries, new { principalArn = "arn:aws:iam::123456789012:user/bob", type = "EC2_LINUX" }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "Access entries of type EC2_LINUX can only be created for IAM roles in account 123456789012.");
        AssertError(await sim.EksAsync(Post, entries, new { principalArn = "arn:aws:iam::210987654321:role/elsewhere", type = "FARGATE_LINUX" }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "Access entries of type FARGATE_LINUX can only be created for IAM roles in account 123456789012.");
        AssertError(await sim.EksAsync(Post, entries, new { principalArn = NodeRole, type = "EC2_LINUX", kubernetesGroups = new[] { "nodes" } }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "kubernetesGroups cannot be specified for access entries of type EC2_LINUX.");
        AssertError(await sim.EksAsync(Post, entries, new { principalArn = NodeRole, type = "EC2_LINUX", username = "node:x" }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "username cannot be specified for access entries of type EC2_LINUX.");
        AssertError(await sim.EksAsync(Post, entries, new { principalArn = NodeRole, type = "WINDOWS_2000" }), HttpStatusCode.BadRequest, "InvalidParameterException",
            "The access entry type WINDOWS_2000 is not valid. Valid types are [STANDARD, FARGATE_LINUX, EC2_LINUX, EC2_WINDOWS, EC2, HYBRID_LINUX, HYPERPOD_LINUX].");

        Body(await sim.EksAsync(Post, entries, new { principalArn = NodeRole, type = "EC2_LINUX" }));
        AssertError(await sim.EksAsync(Post, Entry(NodeRole, "/access-policies"), new { policyArn = Admin, accessScope = new { type = "cluster" } }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "This operation can only be performed on Access Entries with a type of \"STANDARD\".");
        AssertError(await sim.EksAsync(Post, Entry(NodeRole), new { kubernetesGroups = new[] { "nodes" } }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "kubernetesGroups and username cannot be specified for access entries of type EC2_LINUX.");
    }

    [Fact]
    public async Task Update_replaces_groups_and_username_and_moves_modifiedAt_only()
    {
        await using var sim = await StartAsync();
        var created = Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole, kubernetesGroups = new[] { "a", "b" } }))["accessEntry"]!;
        sim.Time.Advance(TimeSpan.FromMinutes(3));
        var updated = Body(await sim.EksAsync(Post, Entry(NodeRole), new { kubernetesGroups = new[] { "c" }, username = "ops:{{SessionName}}" }))["accessEntry"]!;
        Assert.Equal(["c"], updated["kubernetesGroups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal("ops:{{SessionName}}", (string?)updated["username"]);
        Assert.Equal(created["createdAt"]!.GetValue<double>(), updated["createdAt"]!.GetValue<double>());
        Assert.Equal(created["createdAt"]!.GetValue<double>() + 180, updated["modifiedAt"]!.GetValue<double>());
        Assert.Equal((string?)created["accessEntryArn"], (string?)updated["accessEntryArn"]);

        // Omitted members stay as they are.
        var same = Body(await sim.EksAsync(Post, Entry(NodeRole), new { username = "ops2:{{SessionName}}" }))["accessEntry"]!;
        Assert.Equal(["c"], same["kubernetesGroups"]!.AsArray().Select(g => (string)g!));
    }

    [Fact]
    public async Task Policies_associate_at_either_scope_reassociation_replaces_the_scope_and_deleting_the_entry_drops_them()
    {
        await using var sim = await StartAsync();
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        var policies = Entry(NodeRole, "/access-policies");

        var first = Body(await sim.EksAsync(Post, policies, new { policyArn = View, accessScope = new { type = "namespace", namespaces = new[] { "dev-*", "prod" } } }));
        Assert.Equal(("c", NodeRole), ((string?)first["clusterName"], (string?)first["principalArn"]));
        var associated = first["associatedAccessPolicy"]!;
        Assert.Equal(View, (string?)associated["policyArn"]);
        Assert.Equal("""{"type":"namespace","namespaces":["dev-*","prod"]}""", associated["accessScope"]!.ToJsonString());

        sim.Time.Advance(TimeSpan.FromMinutes(1));
        var again = Body(await sim.EksAsync(Post, policies, new { policyArn = View, accessScope = new { type = "cluster" } }))["associatedAccessPolicy"]!;
        Assert.Equal("""{"type":"cluster","namespaces":[]}""", again["accessScope"]!.ToJsonString());
        Assert.Equal(associated["associatedAt"]!.GetValue<double>(), again["associatedAt"]!.GetValue<double>());
        Assert.Equal(associated["associatedAt"]!.GetValue<double>() + 60, again["modifiedAt"]!.GetValue<double>());

        Body(await sim.EksAsync(Post, policies, new { policyArn = Admin, accessScope = new { type = "cluster" } }));
        var listed = Body(await sim.EksAsync(Get, policies));
        Assert.Equal(("c", NodeRole), ((string?)listed["clusterName"], (string?)listed["principalArn"]));
        Assert.Equal([Admin, View], listed["associatedAccessPolicies"]!.AsArray().Select(p => (string)p!["policyArn"]!));

        Assert.Empty(Body(await sim.EksAsync(Delete, policies + "/" + Uri.EscapeDataString(Admin))));
        Assert.Equal([View], Body(await sim.EksAsync(Get, policies))["associatedAccessPolicies"]!.AsArray().Select(p => (string)p!["policyArn"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Delete, policies + "/" + Uri.EscapeDataString(Admin))).Status);

        Assert.Empty(Body(await sim.EksAsync(Delete, Entry(NodeRole))));
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        Assert.Empty(Body(await sim.EksAsync(Get, policies))["associatedAccessPolicies"]!.AsArray());
    }

    [Theory]
    [InlineData("Cluster", null, "1 validation error detected: Value 'Cluster' at 'accessScope.type' failed to satisfy constraint: Member must satisfy enum value set: [cluster, namespace]")]
    [InlineData("namespace", null, "At least one namespace must be specified when the access scope type is namespace.")]
    [InlineData("cluster", "dev", "Namespaces cannot be specified when the access scope type is cluster.")]
    public async Task Scopes_are_lower_case_and_namespaces_go_with_the_namespace_type(string type, string? ns, string message)
    {
        await using var sim = await StartAsync();
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        object scope = ns is null ? new { type } : new { type, namespaces = new[] { ns } };
        AssertError(await sim.EksAsync(Post, Entry(NodeRole, "/access-policies"), new { policyArn = View, accessScope = scope }), HttpStatusCode.BadRequest, "InvalidParameterException", message);
    }

    [Fact]
    public async Task Unknown_and_service_linked_only_policies_are_refused()
    {
        await using var sim = await StartAsync();
        Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = NodeRole }));
        var policies = Entry(NodeRole, "/access-policies");
        AssertError(await sim.EksAsync(Post, policies, new { policyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSMadeUpPolicy", accessScope = new { type = "cluster" } }),
            HttpStatusCode.NotFound, "ResourceNotFoundException", "The specified policyArn could not be found. You can view the available access policies with 'list-access-policies'.");
        AssertError(await sim.EksAsync(Post, policies, new { policyArn = "arn:aws:iam::aws:policy/AdministratorAccess", accessScope = new { type = "cluster" } }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "The policyArn parameter format is not valid");
        AssertError(await sim.EksAsync(Post, policies, new { policyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSComputePolicy", accessScope = new { type = "cluster" } }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "The access policy AmazonEKSComputePolicy can only be associated with access entries of AWS service-linked roles.");
    }

    [Fact]
    public async Task List_access_entries_filters_by_associated_policy_and_pages()
    {
        await using var sim = await StartAsync();
        string[] principals = ["arn:aws:iam::210987654321:user/a", "arn:aws:iam::210987654321:user/b", "arn:aws:iam::210987654321:user/c"];
        foreach (var p in principals)
        {
            Body(await sim.EksAsync(Post, "/clusters/c/access-entries", new { principalArn = p }));
        }

        Body(await sim.EksAsync(Post, Entry(principals[1], "/access-policies"), new { policyArn = Admin, accessScope = new { type = "cluster" } }));
        Assert.Equal([principals[1]], Body(await sim.EksAsync(Get, "/clusters/c/access-entries?associatedPolicyArn=" + Uri.EscapeDataString(Admin)))["accessEntries"]!.AsArray().Select(e => (string)e!));
        Assert.Empty(Body(await sim.EksAsync(Get, "/clusters/c/access-entries?associatedPolicyArn=" + Uri.EscapeDataString(View)))["accessEntries"]!.AsArray());

        var page1 = Body(await sim.EksAsync(Get, "/clusters/c/access-entries?maxResults=2"));
        Assert.Equal(principals[..2], page1["accessEntries"]!.AsArray().Select(e => (string)e!));
        var page2 = Body(await sim.EksAsync(Get, "/clusters/c/access-entries?maxResults=2&nextToken=" + Uri.EscapeDataString((string)page1["nextToken"]!)));
        Assert.Equal(principals[2..], page2["accessEntries"]!.AsArray().Select(e => (string)e!));
        Assert.Null(page2["nextToken"]);
    }

    [Fact]
    public async Task List_access_policies_is_the_global_catalogue_with_eks_policy_arns()
    {
        await using var sim = await StartAsync();
        var all = Body(await sim.EksAsync(Get, "/access-policies"))["accessPolicies"]!.AsArray();
        Assert.Equal(19, all.Count);
        Assert.All(all, p => Assert.Equal("arn:aws:eks::aws:cluster-access-policy/" + (string)p!["name"]!, (string?)p["arn"]));
        Assert.Contains(all, p => (string?)p!["name"] == "AmazonEKSClusterAdminPolicy");
        Assert.Contains(all, p => (string?)p!["name"] == "AmazonEKSSecretReaderPolicy");
        var page = Body(await sim.EksAsync(Get, "/access-policies?maxResults=5"));
        Assert.Equal(5, page["accessPolicies"]!.AsArray().Count);
        Assert.NotNull(page["nextToken"]);
    }

    [Fact]
    public async Task Entries_take_tags_through_the_tag_api_and_go_with_their_cluster()
    {
        await using var sim = await TestSim.StartAsync();
        var request = (Dictionary<string, object?>)sim.ClusterRequest("gone");
        request["accessConfig"] = new { authenticationMode = "API_AND_CONFIG_MAP" };
        Body(await sim.EksAsync(Post, "/clusters", request));
        sim.Time.Advance(TimeSpan.FromMinutes(12));
        var entry = Body(await sim.EksAsync(Post, "/clusters/gone/access-entries", new { principalArn = NodeRole, tags = new { team = "a" } }))["accessEntry"]!;
        var arn = Uri.EscapeDataString((string)entry["accessEntryArn"]!);
        Body(await sim.EksAsync(Post, "/tags/" + arn, new { tags = new { env = "test" } }));
        Assert.Equal("""{"team":"a","env":"test"}""", Body(await sim.EksAsync(Get, "/tags/" + arn))["tags"]!.ToJsonString());

        Body(await sim.EksAsync(Delete, "/clusters/gone"));
        sim.Time.Advance(TimeSpan.FromMinutes(5));
        Body(await sim.EksAsync(Post, "/clusters", request));
        Assert.Empty(Body(await sim.EksAsync(Get, "/clusters/gone/access-entries"))["accessEntries"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, "/tags/" + arn)).Status);
    }

    [GeneratedRegex(@"^arn:aws:eks:us-west-2:123456789012:access-entry/c/(role|user)/\d{12}/[\w+=,.@-]+/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex EntryArn();
}
