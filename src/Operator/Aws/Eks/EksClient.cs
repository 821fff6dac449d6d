using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksApi"/>; signing, retries and limits live in <see cref="AwsTransport"/>.</summary>
internal sealed class EksClient(AwsTransport transport) : IEksApi
{
    private readonly EksRest _rest = new(transport);

    public async Task<Cluster> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateCluster", "/clusters", [], request, EksJson.Info<CreateClusterRequest>(), EksJson.Info<ClusterEnvelope>(), cancellationToken)).Cluster);

    public async Task<Cluster?> DescribeClusterAsync(string name, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeCluster", "/clusters/{name}", [Label("name", name)], [], EksJson.Info<ClusterEnvelope>(), cancellationToken))?.Cluster;

    public Task<ListClustersResponse> ListClustersAsync(ListClustersRequest? request = null, CancellationToken cancellationToken = default) =>
        _rest.GetAsync("ListClusters", "/clusters", [], Paging(request?.MaxResults, request?.NextToken), EksJson.Info<ListClustersResponse>(), cancellationToken);

    public async Task<Cluster> DeleteClusterAsync(string name, CancellationToken cancellationToken = default) =>
        Required((await _rest.SendAsync(new AwsRequest("DeleteCluster", HttpMethod.Delete, "/clusters/{name}") { PathLabels = [Label("name", name)] }, EksJson.Info<ClusterEnvelope>(), cancellationToken)).Cluster);

    public async Task<Update> UpdateClusterConfigAsync(UpdateClusterConfigRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateClusterConfig", "/clusters/{name}/update-config", [Label("name", request.Name)], request, EksJson.Info<UpdateClusterConfigRequest>(), EksJson.Info<UpdateEnvelope>(), cancellationToken)).Update);

    public async Task<Update> AssociateEncryptionConfigAsync(AssociateEncryptionConfigRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("AssociateEncryptionConfig", "/clusters/{name}/encryption-config/associate", [Label("name", request.Name)], request, EksJson.Info<AssociateEncryptionConfigRequest>(), EksJson.Info<UpdateEnvelope>(), cancellationToken)).Update);

    public async Task<Update> UpdateClusterVersionAsync(UpdateClusterVersionRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateClusterVersion", "/clusters/{name}/updates", [Label("name", request.Name)], request, EksJson.Info<UpdateClusterVersionRequest>(), EksJson.Info<UpdateEnvelope>(), cancellationToken)).Update);

    public async Task<Update?> DescribeUpdateAsync(DescribeUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new List<KeyValuePair<string, List<string>>>();
        if (request.NodegroupName is not null) query.Add(Query("nodegroupName", request.NodegroupName));
        if (request.AddonName is not null) query.Add(Query("addonName", request.AddonName));
        if (request.CapabilityName is not null) query.Add(Query("capabilityName", request.CapabilityName));
        return (await _rest.GetOrNullAsync("DescribeUpdate", "/clusters/{name}/updates/{updateId}", [Label("name", request.Name), Label("updateId", request.UpdateId)], query, EksJson.Info<UpdateEnvelope>(), cancellationToken))?.Update;
    }

    public Task<ListUpdatesResponse> ListUpdatesAsync(ListUpdatesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = Paging(request.MaxResults, request.NextToken);
        if (request.NodegroupName is not null)
        {
            query.Add(Query("nodegroupName", request.NodegroupName));
        }

        return _rest.GetAsync("ListUpdates", "/clusters/{name}/updates", [Label("name", request.Name)], query, EksJson.Info<ListUpdatesResponse>(), cancellationToken);
    }

    public async Task<Nodegroup> CreateNodegroupAsync(CreateNodegroupRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateNodegroup", "/clusters/{name}/node-groups", [Label("name", request.ClusterName)], request, EksJson.Info<CreateNodegroupRequest>(), EksJson.Info<NodegroupEnvelope>(), cancellationToken)).Nodegroup);

    public async Task<Nodegroup?> DescribeNodegroupAsync(string clusterName, string nodegroupName, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeNodegroup", "/clusters/{name}/node-groups/{nodegroupName}", [Label("name", clusterName), Label("nodegroupName", nodegroupName)], [], EksJson.Info<NodegroupEnvelope>(), cancellationToken))?.Nodegroup;

    public Task<ListNodegroupsResponse> ListNodegroupsAsync(ListNodegroupsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _rest.GetAsync("ListNodegroups", "/clusters/{name}/node-groups", [Label("name", request.ClusterName)], Paging(request.MaxResults, request.NextToken), EksJson.Info<ListNodegroupsResponse>(), cancellationToken);
    }

    public async Task<Nodegroup> DeleteNodegroupAsync(string clusterName, string nodegroupName, CancellationToken cancellationToken = default) =>
        Required((await _rest.SendAsync(
            new AwsRequest("DeleteNodegroup", HttpMethod.Delete, "/clusters/{name}/node-groups/{nodegroupName}") { PathLabels = [Label("name", clusterName), Label("nodegroupName", nodegroupName)] },
            EksJson.Info<NodegroupEnvelope>(),
            cancellationToken)).Nodegroup);

    public async Task<Update> UpdateNodegroupConfigAsync(UpdateNodegroupConfigRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateNodegroupConfig", "/clusters/{name}/node-groups/{nodegroupName}/update-config", [Label("name", request.ClusterName), Label("nodegroupName", request.NodegroupName)], request, EksJson.Info<UpdateNodegroupConfigRequest>(), EksJson.Info<UpdateEnvelope>(), cancellationToken)).Update);

    public async Task<Update> UpdateNodegroupVersionAsync(UpdateNodegroupVersionRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateNodegroupVersion", "/clusters/{name}/node-groups/{nodegroupName}/update-version", [Label("name", request.ClusterName), Label("nodegroupName", request.NodegroupName)], request, EksJson.Info<UpdateNodegroupVersionRequest>(), EksJson.Info<UpdateEnvelope>(), cancellationToken)).Update);

    public async Task<FargateProfile> CreateFargateProfileAsync(CreateFargateProfileRequest request, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateFargateProfile", "/clusters/{name}/fargate-profiles", [Label("name", request.ClusterName)], request, EksJson.Info<CreateFargateProfileRequest>(), EksJson.Info<FargateProfileEnvelope>(), cancellationToken)).FargateProfile);

    public async Task<FargateProfile?> DescribeFargateProfileAsync(string clusterName, string fargateProfileName, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeFargateProfile", "/clusters/{name}/fargate-profiles/{fargateProfileName}", [Label("name", clusterName), Label("fargateProfileName", fargateProfileName)], [], EksJson.Info<FargateProfileEnvelope>(), cancellationToken))?.FargateProfile;

    public Task<ListFargateProfilesResponse> ListFargateProfilesAsync(ListFargateProfilesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _rest.GetAsync("ListFargateProfiles", "/clusters/{name}/fargate-profiles", [Label("name", request.ClusterName)], Paging(request.MaxResults, request.NextToken), EksJson.Info<ListFargateProfilesResponse>(), cancellationToken);
    }

    public async Task<FargateProfile> DeleteFargateProfileAsync(string clusterName, string fargateProfileName, CancellationToken cancellationToken = default) =>
        Required((await _rest.SendAsync(
            new AwsRequest("DeleteFargateProfile", HttpMethod.Delete, "/clusters/{name}/fargate-profiles/{fargateProfileName}") { PathLabels = [Label("name", clusterName), Label("fargateProfileName", fargateProfileName)] },
            EksJson.Info<FargateProfileEnvelope>(),
            cancellationToken)).FargateProfile);

    public async Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default) =>
        await _rest.PostAsync("TagResource", "/tags/{resourceArn}", [Label("resourceArn", resourceArn)], new TagResourceBody(tags), EksJson.Info<TagResourceBody>(), EksJson.Info<TagsEnvelope>(), cancellationToken);

    public async Task UntagResourceAsync(string resourceArn, IReadOnlyCollection<string> tagKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        await transport.SendAsync(
            new AwsRequest("UntagResource", HttpMethod.Delete, "/tags/{resourceArn}")
            {
                PathLabels = [Label("resourceArn", resourceArn)],
                Query = [new("tagKeys", [.. tagKeys])],
            },
            cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default) =>
        (await _rest.GetAsync("ListTagsForResource", "/tags/{resourceArn}", [Label("resourceArn", resourceArn)], [], EksJson.Info<TagsEnvelope>(), cancellationToken)).Tags
        ?? new Dictionary<string, string>();

    public async Task<IReadOnlyList<ClusterVersionInfo>> DescribeClusterVersionsAsync(CancellationToken cancellationToken = default)
    {
        var versions = new List<ClusterVersionInfo>();
        string? next = null;
        do
        {
            // No filters: EKS's default listing is what it offers (unsupported versions need includeAll).
            var page = await _rest.GetAsync("DescribeClusterVersions", "/cluster-versions", [], Paging(100, next), EksJson.Info<DescribeClusterVersionsResponse>(), cancellationToken);
            versions.AddRange((page.ClusterVersions ?? []).Where(v => !string.IsNullOrEmpty(v.ClusterVersion)).Select(ToInfo));
            if (!string.IsNullOrEmpty(page.NextToken) && page.NextToken == next)
            {
                throw new AwsApiException("eks", "MalformedResponse", "DescribeClusterVersions returned the nextToken it was sent", System.Net.HttpStatusCode.OK, null, AwsErrorKind.Transient);
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return versions;
    }

    private static ClusterVersionInfo ToInfo(ClusterVersionInformation v) =>
        new(v.ClusterVersion!, SupportOf(v.VersionStatus ?? v.Status), v.DefaultVersion == true)
        {
            EndOfStandardSupport = v.EndOfStandardSupportDate,
            EndOfExtendedSupport = v.EndOfExtendedSupportDate,
            DefaultPlatformVersion = v.DefaultPlatformVersion,
        };

    /// <summary>versionStatus's spelling (STANDARD_SUPPORT) or the deprecated status enum's (standard-support).</summary>
    private static KubernetesVersionSupport SupportOf(string? status) => status?.Replace('-', '_').ToUpperInvariant() switch
    {
        "STANDARD_SUPPORT" => KubernetesVersionSupport.Standard,
        "EXTENDED_SUPPORT" => KubernetesVersionSupport.Extended,
        "UNSUPPORTED" => KubernetesVersionSupport.Unsupported,
        _ => KubernetesVersionSupport.Unknown,
    };
}
