using System.Text.Json.Nodes;
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
}
