using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateClusterRequest))]
[JsonSerializable(typeof(UpdateClusterConfigRequest))]
[JsonSerializable(typeof(UpdateClusterVersionRequest))]
[JsonSerializable(typeof(CreateNodegroupRequest))]
[JsonSerializable(typeof(UpdateNodegroupConfigRequest))]
[JsonSerializable(typeof(UpdateNodegroupVersionRequest))]
[JsonSerializable(typeof(CreateFargateProfileRequest))]
[JsonSerializable(typeof(TagResourceBody))]
[JsonSerializable(typeof(ClusterEnvelope))]
[JsonSerializable(typeof(NodegroupEnvelope))]
[JsonSerializable(typeof(FargateProfileEnvelope))]
[JsonSerializable(typeof(UpdateEnvelope))]
[JsonSerializable(typeof(TagsEnvelope))]
[JsonSerializable(typeof(ListClustersResponse))]
[JsonSerializable(typeof(ListNodegroupsResponse))]
[JsonSerializable(typeof(ListFargateProfilesResponse))]
[JsonSerializable(typeof(ListUpdatesResponse))]
internal sealed partial class EksJsonContext : JsonSerializerContext;
