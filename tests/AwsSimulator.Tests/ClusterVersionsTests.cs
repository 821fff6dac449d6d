using System.Net;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>DescribeClusterVersions' calendar on a FakeTimeProvider: configured dates, status over time, platform versions.</summary>
public sealed class ClusterVersionsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Default_dates_are_anchored_on_the_clock_at_start_on_EKS_cadence()
    {
        await using var sim = await TestSim.StartAsync();
        var rows = await VersionsAsync(sim, "includeAll=true");

        var newest = rows["1.35"];
        Assert.Equal(new DateTimeOffset(2026, 8, 29, 0, 0, 0, TimeSpan.Zero), Date(newest, "releaseDate"));
        Assert.Equal(new DateTimeOffset(2025, 4, 29, 0, 0, 0, TimeSpan.Zero), Date(rows["1.31"], "releaseDate"));
        Assert.Equal(new DateTimeOffset(2027, 6, 29, 0, 0, 0, TimeSpan.Zero), Date(rows["1.31"], "endOfExtendedSupportDate"));
        Assert.True(Date(rows["1.30"], "endOfExtendedSupportDate") < Start);
        Assert.Equal("UNSUPPORTED", (string?)rows["1.30"]["versionStatus"]);
    }

    [Fact]
    public async Task Configured_dates_drive_the_status_as_time_passes()
    {
        await using var sim = await TestSim.StartAsync(o => o with
        {
            VersionSupport = new Dictionary<string, AwsVersionSupport>
            {
                ["1.31"] = new()
                {
                    ReleaseDate = new(2024, 9, 26, 0, 0, 0, TimeSpan.Zero),
                    EndOfStandardSupport = new(2025, 11, 26, 0, 0, 0, TimeSpan.Zero),
                    EndOfExtendedSupport = new(2026, 12, 26, 0, 0, 0, TimeSpan.Zero),
                    PlatformVersion = "eks.41",
                    KubernetesPatchVersion = "1.31.14",
                },
            },
        });

        var row = (await VersionsAsync(sim, "clusterVersions=1.31"))["1.31"];
        Assert.Equal(("EXTENDED_SUPPORT", "eks.41", "1.31.14"), ((string)row["versionStatus"]!, (string)row["defaultPlatformVersion"]!, (string)row["kubernetesPatchVersion"]!));
        Assert.Equal(new DateTimeOffset(2024, 9, 26, 0, 0, 0, TimeSpan.Zero), Date(row, "releaseDate"));

        // A cluster of that version gets its platform version.
        var created = await sim.EksAsync(HttpMethod.Post, "/clusters", sim.ClusterRequest("old", "1.31"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        sim.Time.Advance(TimeSpan.FromMinutes(12));
        Assert.Equal("eks.41", (string?)(await sim.EksAsync(HttpMethod.Get, "/clusters/old")).Body!["cluster"]!["platformVersion"]);

        // Once extended support ends the version drops out of the default listing, but includeAll still shows it.
        sim.Time.Advance(TimeSpan.FromDays(30));
        Assert.DoesNotContain("1.31", (await VersionsAsync(sim, string.Empty)).Keys);
        Assert.Equal("UNSUPPORTED", (string?)(await VersionsAsync(sim, "includeAll=true"))["1.31"]["versionStatus"]);
    }

    [Fact]
    public async Task Bad_parameters_are_InvalidParameterException_and_other_cluster_types_list_nothing()
    {
        await using var sim = await TestSim.StartAsync();
        foreach (var query in new[] { "maxResults=0", "maxResults=101", "defaultOnly=yes", "status=STANDARD_SUPPORT", "versionStatus=standard-support", "nextToken=%%%" })
        {
            var reply = await sim.EksAsync(HttpMethod.Get, "/cluster-versions?" + query);
            Assert.True(reply.Status == HttpStatusCode.BadRequest, query);
            Assert.Equal("InvalidParameterException", reply.ErrorType);
        }

        Assert.Empty(await VersionsAsync(sim, "clusterType=eks-local-outposts"));
        Assert.Equal(5, (await VersionsAsync(sim, "clusterType=eks")).Count);
    }

    private static async Task<Dictionary<string, JsonNode>> VersionsAsync(TestSim sim, string query)
    {
        var reply = await sim.EksAsync(HttpMethod.Get, "/cluster-versions" + (query.Length > 0 ? "?" + query : string.Empty));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body!["clusterVersions"]!.AsArray().ToDictionary(v => (string)v!["clusterVersion"]!, v => v!);
    }

    private static DateTimeOffset Date(JsonNode row, string member) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(row[member]!.GetValue<double>() * 1000));
}
