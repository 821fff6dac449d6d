using System.Net;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Versions;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Versions;

public sealed class KubernetesVersionsTests
{
    private const string Listing = """
        {"clusterVersions":[
          {"clusterVersion":"1.35","versionStatus":"STANDARD_SUPPORT"},
          {"clusterVersion":"1.34","versionStatus":"STANDARD_SUPPORT","defaultVersion":true},
          {"clusterVersion":"1.32","versionStatus":"EXTENDED_SUPPORT"},
          {"clusterVersion":"1.29","versionStatus":"UNSUPPORTED"}]}
        """;

    [Fact]
    public async Task Offered_versions_are_the_supported_ones_in_minor_order_with_the_default()
    {
        var versions = new KubernetesVersions(TestClients.Eks(new StubHandler().Respond(HttpStatusCode.OK, Listing)), new FakeTimeProvider());

        var offered = await versions.OfferedAsync(CancellationToken.None);

        Assert.Equal(["1.32", "1.34", "1.35"], offered!.Versions);
        Assert.Equal("1.34", offered.Default);
        Assert.True(offered.Offers("1.32"));
        Assert.False(offered.Offers("1.29"));
        Assert.Equal("1.32, 1.34, 1.35", offered.Describe());
    }

    [Fact]
    public async Task The_list_is_read_once_an_hour_not_on_every_create_or_step()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, Listing).Respond(HttpStatusCode.OK, Listing);
        var time = new FakeTimeProvider();
        var versions = new KubernetesVersions(TestClients.Eks(handler), time);

        await versions.OfferedAsync(CancellationToken.None);
        time.Advance(KubernetesVersions.CacheFor - TimeSpan.FromSeconds(1));
        await versions.OfferedAsync(CancellationToken.None);
        Assert.Single(handler.Requests);

        time.Advance(TimeSpan.FromSeconds(1));
        await versions.OfferedAsync(CancellationToken.None);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task An_endpoint_without_the_call_leaves_the_version_to_EKS()
    {
        // moto 5 has no route for /cluster-versions and answers an HTML 404.
        var handler = new StubHandler().Respond(HttpStatusCode.NotFound, "<html><body>404 Not Found</body></html>");
        var versions = new KubernetesVersions(TestClients.Eks(handler), new FakeTimeProvider());

        Assert.Null(await versions.OfferedAsync(CancellationToken.None));
    }
}
