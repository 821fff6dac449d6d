using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Admission;
using EksOperator.Simulators.Kubernetes.Api;
using EksOperator.Simulators.Kubernetes.Json;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>The pure pieces: kubectl's age format, the printer-column JSONPath subset, merge and JSON patch.</summary>
public sealed class HelperTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(9 * 86400, "9d")]
    [InlineData(800 * 86400, "2y70d")]
    public void Age_follows_apimachinery_HumanDuration(int seconds, string expected) =>
        Assert.Equal(expected, Formats.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void JsonPath_filters_conditions_by_type()
    {
        var obj = JsonNode.Parse("""{"status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]},"spec":{"n":[1,2,3]}}""");
        Assert.Equal("True", JsonPathLite.Text(Assert.Single(JsonPathLite.Evaluate(obj, """.status.conditions[?(@.type=="Ready")].status"""))));
        Assert.Equal(3, JsonPathLite.Evaluate(obj, "{.spec.n[*]}").Count);
        Assert.Equal("2", JsonPathLite.Text(JsonPathLite.Evaluate(obj, ".spec.n[1]")[0]));
        Assert.Empty(JsonPathLite.Evaluate(obj, ".status.missing"));
    }

    [Fact]
    public void Merge_patch_deletes_with_null_and_replaces_arrays()
    {
        var target = JsonNode.Parse("""{"a":{"b":1,"c":2},"list":[1,2]}""");
        var patched = JsonPatching.MergePatch(target, JsonNode.Parse("""{"a":{"b":null,"d":3},"list":[3]}"""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"c":2,"d":3},"list":[3]}"""), patched));
        Assert.Equal(1, target!["a"]!["b"]!.GetValue<int>()); // the input is not modified
    }

    [Fact]
    public void Json_patch_applies_operations_and_reports_failures()
    {
        var doc = JsonNode.Parse("""{"metadata":{"finalizers":["a","b"]},"spec":{}}""");
        var ops = JsonNode.Parse("""[{"op":"test","path":"/metadata/finalizers/0","value":"a"},{"op":"remove","path":"/metadata/finalizers/0"},{"op":"add","path":"/spec/x~1y","value":1},{"op":"copy","from":"/spec/x~1y","path":"/spec/z"},{"op":"move","from":"/spec/z","path":"/spec/w"}]""")!.AsArray();
        var result = JsonPatching.JsonPatch(doc, ops);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"metadata":{"finalizers":["b"]},"spec":{"x/y":1,"w":1}}"""), result));
        var failing = JsonNode.Parse("""[{"op":"test","path":"/spec","value":1}]""")!.AsArray();
        Assert.False(Assert.Throws<JsonPatchException>(() => JsonPatching.JsonPatch(doc, failing)).Malformed);
        var malformed = JsonNode.Parse("""[{"op":"jump","path":"/spec"}]""")!.AsArray();
        Assert.True(Assert.Throws<JsonPatchException>(() => JsonPatching.JsonPatch(doc, malformed)).Malformed);
    }

    [Fact]
    public void Yaml_scalars_follow_the_core_schema()
    {
        var node = YamlJson.Parse("a: \"1.33\"\nb: 1.33\nc: 3\nd: true\ne: ~\nf: 'x'\n")!;
        Assert.Equal("1.33", node["a"]!.GetValue<string>());
        Assert.Equal(1.33, node["b"]!.GetValue<double>());
        Assert.Equal(3, node["c"]!.GetValue<long>());
        Assert.True(node["d"]!.GetValue<bool>());
        Assert.Null(node["e"]);
        Assert.Equal("x", node["f"]!.GetValue<string>());
    }

    // Pinned to what kubectl and the apiserver do: sigs.k8s.io/yaml decodes with go-yaml v2, whose resolver is
    // YAML 1.1's. A manifest that says `1e3` reaches the apiserver as the number 1000, not the string "1e3".
    [Theory]
    [InlineData("1e3", "1000")]
    [InlineData("-1.5E+2", "-150")]
    [InlineData(".5", "0.5")]
    [InlineData("0x1F", "31")]
    [InlineData("0777", "511")]
    [InlineData("0b101", "5")]
    [InlineData("1_000", "1000")]
    [InlineData("08", "8")]
    [InlineData("+7", "7")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("yes", "true")]
    [InlineData("On", "true")]
    [InlineData("n", "false")]
    [InlineData("OFF", "false")]
    [InlineData("1e", "\"1e\"")]
    [InlineData("-Infinity", "\"-Infinity\"")]
    [InlineData("1.2.3", "\"1.2.3\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("'1e3'", "\"1e3\"")]
    [InlineData("\"yes\"", "\"yes\"")]
    public void Yaml_plain_scalars_resolve_as_go_yaml_v2_does(string yaml, string json) =>
        Assert.Equal(json, YamlJson.Parse($"v: {yaml}\n")!["v"]!.ToJsonString());

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    public void Yaml_infinities_are_refused_as_go_json_refuses_them(string yaml) =>
        Assert.Throws<FormatException>(() => YamlJson.Parse($"v: {yaml}\n"));

    [Fact]
    public void Yaml_documents_that_are_empty_or_null_are_skipped()
    {
        var documents = YamlJson.ParseAll("---\n---\n~\n---\na: 1\n");
        Assert.Equal("""{"a":1}""", Assert.Single(documents).ToJsonString());
    }
}
