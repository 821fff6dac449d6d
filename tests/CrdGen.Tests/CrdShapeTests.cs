using System.Text.Json.Nodes;

namespace CrdGen.Tests;

/// <summary>The names, columns and schema rules of design/api.md, read from the committed YAML.</summary>
public sealed class CrdShapeTests
{
    public static TheoryData<string, string, string, string, string[]> Kinds => new()
    {
        { "eksclusters", "EksCluster", "ekscluster", "ekc", ["Version", "Status", "Ready", "Endpoint", "Reason", "Message", "Age"] },
        { "managednodegroups", "ManagedNodeGroup", "managednodegroup", "mng", ["Cluster", "Version", "Status", "Desired", "Min", "Max", "Ready", "Reason", "Message", "Age"] },
        { "fargateprofiles", "FargateProfile", "fargateprofile", "fp", ["Cluster", "Status", "Ready", "Reason", "Message", "Age"] },
        { "addons", "Addon", "addon", "ekaddon", ["Cluster", "Addon", "Version", "Status", "Ready", "Reason", "Message", "Age"] },
        { "accessentries", "AccessEntry", "accessentry", "ekae", ["Cluster", "Principal", "Type", "Ready", "Reason", "Message", "Age"] },
        { "podidentityassociations", "PodIdentityAssociation", "podidentityassociation", "ekpia", ["Cluster", "Namespace", "ServiceAccount", "Ready", "Reason", "Message", "Age"] },
        { "capabilities", "Capability", "capability", "ekcap", ["Cluster", "Type", "Status", "Ready", "Reason", "Message", "Age"] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Names_columns_and_subresources_match_the_api_contract(string plural, string kind, string singular, string shortName, string[] columns)
    {
        var crd = Repo.Crd(plural);
        Assert.Equal($"{plural}.eks.operator.dev", (string?)crd["metadata"]!["name"]);
        var spec = crd["spec"]!;
        Assert.Equal("eks.operator.dev", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal(kind, (string?)spec["names"]!["kind"]);
        Assert.Equal(singular, (string?)spec["names"]!["singular"]);
        Assert.Equal([shortName], spec["names"]!["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["eks"], spec["names"]!["categories"]!.AsArray().Select(n => (string)n!));
        var version = Assert.Single(spec["versions"]!.AsArray())!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool)version["storage"]!);
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Equal(columns, version["additionalPrinterColumns"]!.AsArray().Select(c => (string)c!["name"]!));
        var wideOnly = version["additionalPrinterColumns"]!.AsArray().Where(c => c!["priority"] is not null).Select(c => (string)c!["name"]!);
        Assert.Equal(plural switch { "eksclusters" => ["Endpoint", "Message"], "accessentries" => ["Principal", "Message"], _ => ["Message"] }, wideOnly);
        var reason = version["additionalPrinterColumns"]!.AsArray().Single(c => (string?)c!["name"] == "Reason")!;
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].reason", (string?)reason["jsonPath"]);
    }

    [Theory]
    [InlineData("eksclusters")]
    [InlineData("managednodegroups")]
    [InlineData("fargateprofiles")]
    [InlineData("addons")]
    [InlineData("accessentries")]
    [InlineData("podidentityassociations")]
    [InlineData("capabilities")]
    public void Schema_is_structural_every_node_typed_and_never_nullable(string plural)
    {
        var schema = Repo.Crd(plural)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        var problems = new List<string>();
        Walk(schema, "", problems);
        Assert.Empty(problems);

        static void Walk(JsonObject node, string path, List<string> problems)
        {
            if (node["type"] is null) problems.Add($"{path}: no type");
            if (node.ContainsKey("nullable")) problems.Add($"{path}: nullable");
            if (node.ContainsKey("properties") && node.ContainsKey("additionalProperties")) problems.Add($"{path}: properties and additionalProperties");
            foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
            {
                Walk(child!.AsObject(), $"{path}.{name}", problems);
            }

            if (node["items"] is JsonObject items) Walk(items, path + "[]", problems);
            if (node["additionalProperties"] is JsonObject values) Walk(values, path + "{}", problems);
            if (node["description"] is null && path.Split('.').Length > 1 && !path.EndsWith("[]", StringComparison.Ordinal)
                && !path.EndsWith("{}", StringComparison.Ordinal) && !path.Contains("conditions[]", StringComparison.Ordinal))
            {
                problems.Add($"{path}: no description (kubectl explain shows it)");
            }
        }
    }

    [Theory]
    [InlineData("eksclusters", "logging", "api (API server logs)")]
    [InlineData("eksclusters", "deletionPolicy", "Retain (Leave the AWS resource in place)")]
    [InlineData("managednodegroups", "capacityType", "SPOT")]
    public void Enum_fields_name_their_values_once_for_kubectl_explain(string plural, string field, string value)
    {
        var node = Repo.Crd(plural)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]![field]!;
        var description = (string?)node["description"] ?? "";
        Assert.Contains("Values: ", description, StringComparison.Ordinal);
        Assert.Contains(value, description, StringComparison.Ordinal);
        // An array's items carry no description of their own: kubectl explain would print it after the field's.
        Assert.Null(node["items"]?["description"]);
    }

    [Fact]
    public void Version_field_has_a_description_for_kubectl_explain()
    {
        var version = Repo.Crd("eksclusters")["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["version"]!;
        Assert.Contains("one minor at a time", (string?)version["description"], StringComparison.Ordinal);
    }
}
