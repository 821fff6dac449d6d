namespace EksOperator.Aws.Eks;

/// <summary>
/// The EKS operations the operator uses, shaped as the 2017-11-01 model. Errors surface as <see cref="AwsApiException"/>;
/// Describe* return null when the resource does not exist.
/// </summary>
public interface IEksApi
{
    Task<Cluster> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default);

    Task<Cluster?> DescribeClusterAsync(string name, CancellationToken cancellationToken = default);

    Task<ListClustersResponse> ListClustersAsync(ListClustersRequest? request = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the cluster in DELETING; throws NotFound when it is already gone.</summary>
    Task<Cluster> DeleteClusterAsync(string name, CancellationToken cancellationToken = default);

    Task<Update> UpdateClusterConfigAsync(UpdateClusterConfigRequest request, CancellationToken cancellationToken = default);

    Task<Update> AssociateEncryptionConfigAsync(AssociateEncryptionConfigRequest request, CancellationToken cancellationToken = default);

    Task<Update> UpdateClusterVersionAsync(UpdateClusterVersionRequest request, CancellationToken cancellationToken = default);

    Task<Update?> DescribeUpdateAsync(DescribeUpdateRequest request, CancellationToken cancellationToken = default);

    Task<ListUpdatesResponse> ListUpdatesAsync(ListUpdatesRequest request, CancellationToken cancellationToken = default);

    Task<Nodegroup> CreateNodegroupAsync(CreateNodegroupRequest request, CancellationToken cancellationToken = default);

    Task<Nodegroup?> DescribeNodegroupAsync(string clusterName, string nodegroupName, CancellationToken cancellationToken = default);

    Task<ListNodegroupsResponse> ListNodegroupsAsync(ListNodegroupsRequest request, CancellationToken cancellationToken = default);

    Task<Nodegroup> DeleteNodegroupAsync(string clusterName, string nodegroupName, CancellationToken cancellationToken = default);

    Task<Update> UpdateNodegroupConfigAsync(UpdateNodegroupConfigRequest request, CancellationToken cancellationToken = default);

    Task<Update> UpdateNodegroupVersionAsync(UpdateNodegroupVersionRequest request, CancellationToken cancellationToken = default);

    Task<FargateProfile> CreateFargateProfileAsync(CreateFargateProfileRequest request, CancellationToken cancellationToken = default);

    Task<FargateProfile?> DescribeFargateProfileAsync(string clusterName, string fargateProfileName, CancellationToken cancellationToken = default);

    Task<ListFargateProfilesResponse> ListFargateProfilesAsync(ListFargateProfilesRequest request, CancellationToken cancellationToken = default);

    Task<FargateProfile> DeleteFargateProfileAsync(string clusterName, string fargateProfileName, CancellationToken cancellationToken = default);

    Task TagResourceAsync(string resourceArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default);

    Task UntagResourceAsync(string resourceArn, IReadOnlyCollection<string> tagKeys, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, string>> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Kubernetes versions EKS offers for new clusters and upgrades, in EKS's order (newest first), every page read.
    /// They are in standard or extended support: EKS lists unsupported versions only when asked for all.
    /// </summary>
    Task<IReadOnlyList<ClusterVersionInfo>> DescribeClusterVersionsAsync(CancellationToken cancellationToken = default);
}
