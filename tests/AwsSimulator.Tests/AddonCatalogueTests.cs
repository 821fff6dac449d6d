using System.Net;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>DescribeAddonVersions and DescribeAddonConfiguration over the catalogue built from the supported minors (reference §1.3, §1.4, §1.10).</summary>
public sealed class AddonCatalogueTests
{
    private static readonly string[] Minors = ["1.31", "1.32", "1.33", "1.34", "1.35"];

    [Fact]
    public async Task Every_addon_has_exactly_one_default_per_supported_minor_and_it_is_not_the_newest()
    {
        await using var sim = await TestSim.StartAsync();
        var addons = (await VersionsAsync(sim, "")).AsArray();
        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], addons.Select(a => (string)a!["addonName"]!));
        foreach (var addon in addons)
        {
            foreach (var minor in Minors)
            {
                var fitting = addon!["addonVersions"]!.AsArray().Where(v => Compat(v!).Any(c => (string)c["clusterVersion"]! == minor)).ToList();
                var defaults = fitting.Where(v => Compat(v!).Single(c => (string)c["clusterVersion"]! == minor)["defaultVersion"]!.GetValue<bool>()).ToList();
                Assert.True(defaults.Count == 1, $"{addon["addonName"]} {minor}: {defaults.Count} defaults");
                Assert.NotSame(fitting[0], defaults[0]);
            }
        }
    }

    [Fact]
    public async Task Kube_proxy_fits_one_minor_coredns_a_band_and_vpc_cni_every_minor()
    {
        await using var sim = await TestSim.StartAsync();
        var kubeProxy = (await VersionsAsync(sim, "?addonName=kube-proxy"))[0]!["addonVersions"]!.AsArray();
        Assert.Equal(15, kubeProxy.Count);
        foreach (var v in kubeProxy)
        {
            var minor = (string)Assert.Single(Compat(v!))["clusterVersion"]!;
            Assert.StartsWith($"v{minor}.", (string)v!["addonVersion"]!, StringComparison.Ordinal);
        }

        // EKS's table: 1.29–1.32 → CoreDNS 1.11, 1.33 → 1.12. A 1.32 cluster's coredns does not fit 1.33 (what upgrade insights flag).
        var coredns = (await VersionsAsync(sim, "?addonName=coredns"))[0]!["addonVersions"]!.AsArray();
        Assert.Equal(["1.35", "1.34", "1.33"], Compat(coredns.First(v => ((string)v!["addonVersion"]!).StartsWith("v1.12.", StringComparison.Ordinal))!).Select(c => (string)c["clusterVersion"]!));
        Assert.Equal(["1.32", "1.31"], Compat(coredns.First(v => ((string)v!["addonVersion"]!).StartsWith("v1.11.", StringComparison.Ordinal))!).Select(c => (string)c["clusterVersion"]!));

        var vpcCni = (await VersionsAsync(sim, "?addonName=vpc-cni"))[0]!;
        Assert.Equal("networking", (string?)vpcCni["type"]);
        Assert.Equal("kube-system", (string?)vpcCni["defaultNamespace"]);
        Assert.All(vpcCni["addonVersions"]!.AsArray(), v => Assert.Equal(Minors.Reverse(), Compat(v!).Select(c => (string)c["clusterVersion"]!)));
    }

    [Fact]
    public async Task A_kubernetes_version_filter_keeps_the_fitting_versions_each_with_only_that_compatibility()
    {
        await using var sim = await TestSim.StartAsync();
        var addons = (await VersionsAsync(sim, "?kubernetesVersion=1.34")).AsArray();
        Assert.Equal(5, addons.Count);
        foreach (var v in addons.SelectMany(a => a!["addonVersions"]!.AsArray()))
        {
            Assert.Equal("1.34", (string?)Assert.Single(Compat(v!))["clusterVersion"]);
        }

        var kubeProxy = (await VersionsAsync(sim, "?kubernetesVersion=1.34&addonName=kube-proxy")).AsArray();
        Assert.Equal(["v1.34.8-eksbuild.3", "v1.34.8-eksbuild.2", "v1.34.7-eksbuild.5"], Assert.Single(kubeProxy)!["addonVersions"]!.AsArray().Select(v => (string)v!["addonVersion"]!));
        Assert.True(kubeProxy[0]!["addonVersions"]![1]!["compatibilities"]![0]!["defaultVersion"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("?kubernetesVersion=1.20")]
    [InlineData("?addonName=kubecost_kubecost")]
    [InlineData("?owners=aws-marketplace")]
    [InlineData("?addonName=coredns&types=storage")]
    public async Task No_match_is_an_empty_list_not_an_error(string query)
    {
        await using var sim = await TestSim.StartAsync();
        var reply = await sim.EksAsync(HttpMethod.Get, "/addons/supported-versions" + query);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("""{"addons":[]}""", reply.Body!.ToJsonString());
    }

    [Fact]
    public async Task List_filters_repeat_their_key_and_match_any_value_and_paging_counts_addons()
    {
        await using var sim = await TestSim.StartAsync();
        var some = (await VersionsAsync(sim, "?types=storage&types=security&publishers=eks&owners=aws")).AsArray();
        Assert.Equal(["aws-ebs-csi-driver", "eks-pod-identity-agent"], some.Select(a => (string)a!["addonName"]!));

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await sim.EksAsync(HttpMethod.Get, "/addons/supported-versions?maxResults=2" + (token is null ? "" : "&nextToken=" + Uri.EscapeDataString(token)))).Body!;
            names.AddRange(page["addons"]!.AsArray().Select(a => (string)a!["addonName"]!));
            token = (string?)page["nextToken"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], names);
    }

    [Fact]
    public async Task A_new_supported_minor_gets_its_own_entries()
    {
        await using var sim = await TestSim.StartAsync(o => o with { SupportedVersions = [.. o.SupportedVersions, "1.36"] });
        var kubeProxy = (await VersionsAsync(sim, "?kubernetesVersion=1.36&addonName=kube-proxy"))[0]!["addonVersions"]!.AsArray();
        Assert.Equal("v1.36.10-eksbuild.3", (string?)kubeProxy[0]!["addonVersion"]);
        var vpcCni = (await VersionsAsync(sim, "?kubernetesVersion=1.36&addonName=vpc-cni"))[0]!["addonVersions"]!.AsArray();
        Assert.Equal("v1.21.4-eksbuild.1", (string?)vpcCni[0]!["addonVersion"]);
    }

    [Fact]
    public async Task Configuration_schema_is_a_strict_draft_06_document_and_pod_identity_names_the_service_account()
    {
        await using var sim = await TestSim.StartAsync();
        var ebs = (await sim.EksAsync(HttpMethod.Get, "/addons/configuration-schemas?addonName=aws-ebs-csi-driver&addonVersion=v1.52.1-eksbuild.1")).Body!;
        Assert.Equal("v1.52.1-eksbuild.1", (string?)ebs["addonVersion"]);
        var schema = JsonNode.Parse((string)ebs["configurationSchema"]!)!;
        Assert.Equal("http://json-schema.org/draft-06/schema#", (string?)schema["$schema"]);
        Assert.Equal("#/definitions/AwsEbsCsiDriver", (string?)schema["$ref"]);
        Assert.False(schema["definitions"]!["AwsEbsCsiDriver"]!["additionalProperties"]!.GetValue<bool>());
        Assert.False(schema["definitions"]!["Controller"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("""[{"serviceAccount":"ebs-csi-controller-sa","recommendedManagedPolicies":["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]}]""",
            ebs["podIdentityConfiguration"]!.ToJsonString());

        var coredns = (await sim.EksAsync(HttpMethod.Get, "/addons/configuration-schemas?addonName=coredns&addonVersion=v1.11.3-eksbuild.1")).Body!;
        Assert.Equal("[]", coredns["podIdentityConfiguration"]!.ToJsonString());
        Assert.Equal("integer", (string?)JsonNode.Parse((string)coredns["configurationSchema"]!)!["definitions"]!["Coredns"]!["properties"]!["replicaCount"]!["type"]);

        var unknownVersion = await sim.EksAsync(HttpMethod.Get, "/addons/configuration-schemas?addonName=coredns&addonVersion=v9.9.9-eksbuild.1");
        Assert.Equal("InvalidParameterException", unknownVersion.ErrorType);
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(HttpMethod.Get, "/addons/configuration-schemas?addonName=nope&addonVersion=v1")).Status);
    }

    private static async Task<JsonNode> VersionsAsync(TestSim sim, string query)
    {
        var reply = await sim.EksAsync(HttpMethod.Get, "/addons/supported-versions" + query);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body!["addons"]!;
    }

    private static List<JsonNode> Compat(JsonNode version) => [.. version["compatibilities"]!.AsArray().Select(c => c!)];
}
