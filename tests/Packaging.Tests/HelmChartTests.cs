using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

public sealed class HelmChartTests
{
    private static readonly string[] OperatorKinds = ["accessentries", "addons", "capabilities", "eksclusters", "fargateprofiles", "managednodegroups", "podidentityassociations"];

    [ToolFact("helm")]
    public async Task Lint_passes_strict()
    {
        var result = await Helm.RunAsync("lint", Helm.Chart, "--strict", "--namespace", Helm.Namespace);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 chart(s) failed", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Lint_passes_for_namespaced_watch_with_irsa_and_service_monitor()
    {
        var result = await Helm.RunAsync("lint", Helm.Chart, "--strict",
            "--set", "watchNamespaces={team-a,team-b}",
            "--set", "aws.roleArn=arn:aws:iam::111122223333:role/eks-operator",
            "--set", "metrics.serviceMonitor.enabled=true");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Chart_crds_are_byte_identical_to_config_crd()
    {
        var configured = Directory.GetFiles(Repository.PathOf("config/crd"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var charted = Directory.GetFiles(Repository.PathOf("charts/eks-operator/crds"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, configured.Count);
        Assert.Equal(configured, charted);
        foreach (var file in configured)
        {
            Assert.Equal(Repository.Read($"config/crd/{file}"), Repository.Read($"charts/eks-operator/crds/{file}"));
        }
    }

    [ToolFact("helm")]
    public async Task Rendered_crds_equal_config_crd()
    {
        var rendered = (await Helm.TemplateAsync()).OfKind("CustomResourceDefinition")
            .ToDictionary(c => (string)c["metadata"]!["name"]!, c => c.ToJsonString(), StringComparer.Ordinal);
        var expected = Directory.GetFiles(Repository.PathOf("config/crd"), "*.yaml")
            .Select(f => Yaml.ParseSingle(File.ReadAllText(f)))
            .ToDictionary(c => (string)c["metadata"]!["name"]!, c => c.ToJsonString(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rendered.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, json) in expected)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(rendered[name])), $"CRD {name} differs between the chart and config/crd");
        }
    }

    [ToolFact("helm")]
    public async Task Deployment_runs_two_replicas_with_leader_election()
    {
        var m = await Helm.TemplateAsync();
        Assert.Equal(2L, (long)m.Deployment["spec"]!["replicas"]!);
        Assert.Equal("true", m.Env("Runtime__LeaderElection__Enabled"));
        Assert.Equal("eks-operator-leader", m.Env("Runtime__LeaderElection__LeaseName"));
        Assert.Equal("$(POD_NAMESPACE)", m.Env("Runtime__LeaderElection__LeaseNamespace"));
        Assert.Equal("$(POD_NAME)", m.Env("Runtime__LeaderElection__Identity"));
        // $(VAR) expansion only sees variables defined earlier in the list.
        var names = m.EnvNames.ToList();
        Assert.True(names.IndexOf("POD_NAMESPACE") < names.IndexOf("Runtime__LeaderElection__LeaseNamespace"));
        Assert.True(names.IndexOf("POD_NAME") < names.IndexOf("Runtime__LeaderElection__Identity"));
        Assert.Equal("us-east-1", m.Env("Operator__Region"));
        Assert.Equal("eks-operator", m.Env("Runtime__EventSource"));
        Assert.DoesNotContain(names, n => n.StartsWith("Runtime__Namespaces__", StringComparison.Ordinal));
    }

    [ToolFact("helm")]
    public async Task Deployment_is_locked_down()
    {
        var m = await Helm.TemplateAsync();
        var pod = m.Deployment["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);

        var security = m.Container["securityContext"]!;
        Assert.True((bool)security["runAsNonRoot"]!);
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.False((bool)security["privileged"]!);
        Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(n => (string)n!));
        Assert.Null(security["capabilities"]!["add"]);
        Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]!["type"]);

        foreach (var bound in new[] { "requests", "limits" })
        {
            Assert.False(string.IsNullOrEmpty((string?)m.Container["resources"]![bound]!["cpu"]), $"resources.{bound}.cpu");
            Assert.False(string.IsNullOrEmpty((string?)m.Container["resources"]![bound]!["memory"]), $"resources.{bound}.memory");
        }

        // The only writable path is an emptyDir at /tmp.
        var mount = Assert.Single(m.Container["volumeMounts"]!.AsArray())!;
        Assert.Equal("/tmp", (string?)mount["mountPath"]);
        var volume = Assert.Single(pod["volumes"]!.AsArray(), v => (string?)v!["name"] == (string?)mount["name"])!;
        Assert.NotNull(volume["emptyDir"]);
    }

    [ToolFact("helm")]
    public async Task Probes_hit_healthz_and_readyz_on_the_http_port()
    {
        var m = await Helm.TemplateAsync();
        var port = Assert.Single(m.Container["ports"]!.AsArray())!;
        Assert.Equal("http", (string?)port["name"]);
        Assert.Equal(8080L, (long)port["containerPort"]!);
        Assert.Equal("http://0.0.0.0:8080", m.Env("Listen"));

        Assert.Equal("/healthz", (string?)m.Container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)m.Container["startupProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)m.Container["readinessProbe"]!["httpGet"]!["path"]);
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            Assert.Equal("http", (string?)m.Container[probe]!["httpGet"]!["port"]);
        }

        // A changed port moves the container port, the bind address and (by name) the probes together.
        var moved = await Helm.TemplateAsync("port=9090");
        Assert.Equal(9090L, (long)Assert.Single(moved.Container["ports"]!.AsArray())!["containerPort"]!);
        Assert.Equal("http://0.0.0.0:9090", moved.Env("Listen"));
    }

    [ToolFact("helm")]
    public async Task Cluster_wide_watch_renders_a_ClusterRole_with_the_config_rbac_rules()
    {
        var m = await Helm.TemplateAsync();
        var role = Assert.Single(m.OfKind("ClusterRole"), r => !((string)r["metadata"]!["name"]!).EndsWith("-identities", StringComparison.Ordinal));
        var expected = Yaml.ParseSingle(Repository.Read("config/rbac/role.yaml"));
        Assert.Equal(Rbac.Grants(expected), Rbac.Grants(role));
        Assert.Equal(expected["rules"]!.ToJsonString(), role["rules"]!.ToJsonString());

        var binding = Assert.Single(m.OfKind("ClusterRoleBinding"), b => (string?)b["roleRef"]!["name"] == (string?)role["metadata"]!["name"]);
        AssertBoundToServiceAccount(m, binding);

        // Only the leader-election Role is namespaced.
        var lease = Assert.Single(m.OfKind("Role"));
        Assert.Equal(Helm.Namespace, (string?)lease["metadata"]!["namespace"]);
        Assert.DoesNotContain(Rbac.Grants(lease), g => g.StartsWith("eks.operator.dev/", StringComparison.Ordinal));
    }

    [ToolFact("helm")]
    public async Task Namespaced_watch_renders_a_Role_per_namespace_and_no_cluster_rbac()
    {
        var m = await Helm.TemplateAsync("watchNamespaces={team-a,team-b}");
        // Only the identities' rules are cluster-wide: AwsIdentity objects and namespaces have no namespace.
        var identities = Assert.Single(m.OfKind("ClusterRole"));
        Assert.Equal(Rbac.Grants(Yaml.ParseSingle(Repository.Read("config/rbac/identity_role.yaml"))), Rbac.Grants(identities));
        Assert.Equal((string?)identities["metadata"]!["name"], (string?)Assert.Single(m.OfKind("ClusterRoleBinding"))["roleRef"]!["name"]);
        var expected = Rbac.Grants(Yaml.ParseSingle(Repository.Read("config/rbac/role.yaml")));
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            var role = Assert.Single(m.OfKind("Role"), r => (string?)r["metadata"]!["namespace"] == ns);
            Assert.Equal(expected, Rbac.Grants(role));
            var binding = Assert.Single(m.OfKind("RoleBinding"), b => (string?)b["metadata"]!["namespace"] == ns);
            Assert.Equal("Role", (string?)binding["roleRef"]!["kind"]);
            Assert.Equal((string?)role["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
            AssertBoundToServiceAccount(m, binding);
        }

        Assert.Equal("team-a", m.Env("Runtime__Namespaces__0"));
        Assert.Equal("team-b", m.Env("Runtime__Namespaces__1"));
    }

    [ToolFact("helm")]
    public async Task Leader_election_role_matches_config_rbac_and_only_touches_leases()
    {
        var m = await Helm.TemplateAsync();
        var role = Assert.Single(m.OfKind("Role"));
        var expected = Yaml.ParseSingle(Repository.Read("config/rbac/leader_election_role.yaml"));
        Assert.Equal(Rbac.Grants(expected), Rbac.Grants(role));
        Assert.Equal(["coordination.k8s.io/leases:create", "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:update"], Rbac.Grants(role));
        var binding = Assert.Single(m.OfKind("RoleBinding"));
        Assert.Equal((string?)role["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
        AssertBoundToServiceAccount(m, binding);

        var without = await Helm.TemplateAsync("leaderElection.enabled=false", "replicaCount=1");
        Assert.Empty(without.OfKind("Role"));
        Assert.Equal("false", without.Env("Runtime__LeaderElection__Enabled"));
    }

    [ToolFact("helm")]
    public async Task Rbac_grants_exactly_what_the_reconcilers_need()
    {
        var grants = Rbac.Grants(Assert.Single((await Helm.TemplateAsync()).OfKind("ClusterRole"), r => !((string)r["metadata"]!["name"]!).EndsWith("-identities", StringComparison.Ordinal)));
        foreach (var kind in OperatorKinds)
        {
            // What the operator was seen to use (Integration.Tests.LeastPrivilegeTests proves it against live requests).
            Assert.Equal(kind == "eksclusters" ? ["list", "patch", "watch"] : ["delete", "list", "patch", "watch"], Verbs(grants, $"eks.operator.dev/{kind}"));
            Assert.Equal(["patch"], Verbs(grants, $"eks.operator.dev/{kind}/status"));
            Assert.Equal(["update"], Verbs(grants, $"eks.operator.dev/{kind}/finalizers"));
            Assert.DoesNotContain($"eks.operator.dev/{kind}:create", grants);
        }

        Assert.DoesNotContain("eks.operator.dev/eksclusters:delete", grants);
        Assert.Equal(["create", "delete", "get", "patch"], Verbs(grants, "core/secrets"));
        Assert.Equal(["create", "patch"], Verbs(grants, "core/events"));
        Assert.Empty(Verbs(grants, "events.k8s.io/events"));
        Assert.DoesNotContain(grants, g => g.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void Config_rbac_binds_its_roles_to_its_service_account()
    {
        var sa = Yaml.ParseSingle(Repository.Read("config/rbac/service_account.yaml"));
        var role = Yaml.ParseSingle(Repository.Read("config/rbac/role.yaml"));
        var binding = Yaml.ParseSingle(Repository.Read("config/rbac/role_binding.yaml"));
        var leaseRole = Yaml.ParseSingle(Repository.Read("config/rbac/leader_election_role.yaml"));
        var leaseBinding = Yaml.ParseSingle(Repository.Read("config/rbac/leader_election_role_binding.yaml"));
        var identityRole = Yaml.ParseSingle(Repository.Read("config/rbac/identity_role.yaml"));
        var identityBinding = Yaml.ParseSingle(Repository.Read("config/rbac/identity_role_binding.yaml"));
        Assert.Equal("ClusterRole", (string?)role["kind"]);
        Assert.Equal("ClusterRole", (string?)identityRole["kind"]);
        Assert.Equal((string?)identityRole["metadata"]!["name"], (string?)identityBinding["roleRef"]!["name"]);
        Assert.Equal((string?)role["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
        Assert.Equal((string?)leaseRole["metadata"]!["name"], (string?)leaseBinding["roleRef"]!["name"]);
        Assert.Equal((string?)sa["metadata"]!["namespace"], (string?)leaseRole["metadata"]!["namespace"]);
        foreach (var b in new[] { binding, leaseBinding, identityBinding })
        {
            var subject = Assert.Single(b["subjects"]!.AsArray())!;
            Assert.Equal("ServiceAccount", (string?)subject["kind"]);
            Assert.Equal((string?)sa["metadata"]!["name"], (string?)subject["name"]);
            Assert.Equal((string?)sa["metadata"]!["namespace"], (string?)subject["namespace"]);
        }
    }

    [ToolFact("helm")]
    public async Task Service_account_carries_the_irsa_role_only_when_set()
    {
        var plain = (await Helm.TemplateAsync()).Single("ServiceAccount");
        Assert.Null(plain["metadata"]!["annotations"]?["eks.amazonaws.com/role-arn"]);

        const string Arn = "arn:aws:iam::111122223333:role/eks-operator";
        var irsa = (await Helm.TemplateAsync($"aws.roleArn={Arn}")).Single("ServiceAccount");
        Assert.Equal(Arn, (string?)irsa["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]);
        Assert.Equal("true", (string?)irsa["metadata"]!["annotations"]!["eks.amazonaws.com/sts-regional-endpoints"]);
    }

    [ToolFact("helm")]
    public async Task Metrics_service_pdb_and_service_monitor_select_the_operator_pods()
    {
        var m = await Helm.TemplateAsync();
        var podLabels = m.Deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = m.Deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();
        AssertSelects(selector, podLabels);

        var service = m.Single("Service");
        AssertSelects(service["spec"]!["selector"]!.AsObject(), podLabels);
        Assert.Equal("http", (string?)Assert.Single(service["spec"]!["ports"]!.AsArray())!["targetPort"]);

        var pdb = m.Single("PodDisruptionBudget");
        Assert.Equal(1L, (long)pdb["spec"]!["minAvailable"]!);
        AssertSelects(pdb["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels);

        Assert.Empty(m.OfKind("ServiceMonitor"));
        var monitored = await Helm.TemplateAsync("metrics.serviceMonitor.enabled=true");
        var monitor = monitored.Single("ServiceMonitor");
        Assert.Equal("/metrics", (string?)Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!["path"]);
        AssertSelects(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), service["metadata"]!["labels"]!.AsObject());

        // One replica: a PDB would block node drains, so none is rendered.
        var single = await Helm.TemplateAsync("replicaCount=1");
        Assert.Empty(single.OfKind("PodDisruptionBudget"));
    }

    [ToolTheory("helm")]
    [InlineData("replicaCount=two", "replicaCount")]
    [InlineData("replicaCount=0", "replicaCount")]
    [InlineData("unknownKey=1", "unknownKey")]
    [InlineData("image.tagg=1.0", "tagg")]
    [InlineData("aws.region=Mars", "region")]
    [InlineData("aws.roleArn=not-an-arn", "roleArn")]
    [InlineData("watchNamespaces={Team_A}", "watchNamespaces")]
    [InlineData("leaderElection.enabled=yes-please", "enabled")]
    [InlineData("logLevel=Verbose", "logLevel")]
    public async Task Values_schema_rejects_bad_values(string set, string named)
    {
        var result = await Helm.RunAsync(Helm.TemplateArguments(set));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Two_replicas_without_leader_election_are_refused()
    {
        var result = await Helm.RunAsync(Helm.TemplateArguments("leaderElection.enabled=false"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("leaderElection.enabled must be true", result.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task Every_rendered_object_is_labelled_and_namespaced_in_the_release()
    {
        var m = await Helm.TemplateAsync();
        var clusterScoped = new HashSet<string>(["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"], StringComparer.Ordinal);
        foreach (var o in m.All.Where(o => (string?)o["kind"] != "CustomResourceDefinition"))
        {
            Assert.Equal("eks-operator", (string?)o["metadata"]!["labels"]!["app.kubernetes.io/name"]);
            if (!clusterScoped.Contains((string)o["kind"]!))
            {
                Assert.Equal(Helm.Namespace, (string?)o["metadata"]!["namespace"]);
            }
        }

        Assert.Equal("eks-operator:0.1.0", (string?)m.Container["image"]);
    }

    private static List<string> Verbs(SortedSet<string> grants, string resource) =>
        grants.Where(g => g.StartsWith(resource + ":", StringComparison.Ordinal)).Select(g => g[(resource.Length + 1)..]).ToList();

    private static void AssertBoundToServiceAccount(Manifests m, JsonObject binding)
    {
        var sa = m.Single("ServiceAccount");
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal("ServiceAccount", (string?)subject["kind"]);
        Assert.Equal((string?)sa["metadata"]!["name"], (string?)subject["name"]);
        Assert.Equal(Helm.Namespace, (string?)subject["namespace"]);
        Assert.Equal((string?)sa["metadata"]!["name"], (string?)m.Deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]);
    }

    private static void AssertSelects(JsonObject selector, JsonObject labels)
    {
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector)
        {
            Assert.Equal((string?)value, (string?)labels[key]);
        }
    }
}
