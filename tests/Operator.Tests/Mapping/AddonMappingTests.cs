using System.Text.Json.Nodes;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;

namespace EksOperator.Operator.Tests.Mapping;

/// <summary>AddonMapping: versions ordered by their numbers, the versions of a minor, configuration compared as JSON.</summary>
public sealed class AddonMappingTests
{
    private static EksAddonVersionInfo Version(string version, params (string Minor, bool Default)[] compatible) => new()
    {
        AddonVersion = version,
        Compatibilities = [.. compatible.Select(c => new EksAddonCompatibility { ClusterVersion = c.Minor, DefaultVersion = c.Default })],
    };

    [Fact]
    public void Versions_are_ordered_newest_first_by_their_numbers()
    {
        Assert.Equal(
            ["v1.19.10-eksbuild.1", "v1.19.2-eksbuild.12", "v1.19.2-eksbuild.2", "v1.9.0-eksbuild.1"],
            AddonMapping.NewestFirst(["v1.9.0-eksbuild.1", "v1.19.2-eksbuild.2", "v1.19.10-eksbuild.1", "v1.19.2-eksbuild.12", "v1.19.2-eksbuild.2"]));
    }

    [Fact]
    public void A_minor_gets_its_compatible_versions_and_the_one_EKS_marks_default_there()
    {
        var (compatible, @default) = AddonMapping.ForMinor(
        [
            Version("v1.11.4-eksbuild.2", ("1.32", true), ("1.33", false)),
            Version("v1.12.1-eksbuild.1", ("1.33", true)),
            Version("v1.12.3-eksbuild.1", ("1.33", false)),
            Version("v1.10.1-eksbuild.38", ("1.28", true)),
            new EksAddonVersionInfo { AddonVersion = null, Compatibilities = [new EksAddonCompatibility { ClusterVersion = "1.33" }] },
        ], "1.33");

        Assert.Equal(["v1.12.3-eksbuild.1", "v1.12.1-eksbuild.1", "v1.11.4-eksbuild.2"], compatible);
        Assert.Equal("v1.12.1-eksbuild.1", @default);
        Assert.Null(AddonMapping.ForMinor([Version("v1.12.3-eksbuild.1", ("1.33", false))], "1.33").Default);
        Assert.Empty(AddonMapping.ForMinor([Version("v1.12.3-eksbuild.1", ("1.33", false))], "1.34").Compatible);
    }

    [Theory]
    [InlineData("""{"env":{"A":"1","B":"2"}}""", """{"env":{"A":"1","B":"2"}}""", false)]
    [InlineData("""{"env":{"A":"1","B":"2"}}""", "{ \"env\" : { \"B\": \"2\",\n \"A\": \"1\" } }", false)]
    [InlineData("""{"env":{"A":"1"}}""", """{"env":{"A":1}}""", true)]
    [InlineData("""{"env":{"A":"1"}}""", """{"env":{"A":"2"}}""", true)]
    [InlineData("""{"env":{"A":"1"}}""", null, true)]
    [InlineData("""{}""", null, false)]
    [InlineData("""{"env":{"A":"1"}}""", "env:\n  A: \"1\"", true)]
    public void Configuration_is_compared_as_JSON_values(string wanted, string? reported, bool differs) =>
        Assert.Equal(differs, AddonMapping.ConfigurationDiffers(JsonNode.Parse(wanted)!.AsObject(), reported));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("{}", false)]
    [InlineData("""{"env":{"A":"1"}}""", true)]
    [InlineData("env:\n  A: \"1\"", true)]
    public void Unset_configuration_means_EKSs_defaults(string? reported, bool differs) =>
        Assert.Equal(differs, AddonMapping.ConfigurationDiffers(null, reported));

    [Fact]
    public void Configuration_is_sent_as_compact_JSON()
    {
        Assert.Equal("""{"env":{"A":"1"}}""", AddonMapping.ConfigurationJson(new JsonObject { ["env"] = new JsonObject { ["A"] = "1" } }));
        Assert.Null(AddonMapping.ConfigurationJson(null));
    }
}
