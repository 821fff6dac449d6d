using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EksOperator.Aws.Eks;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateClusterRequest))]
[JsonSerializable(typeof(UpdateClusterConfigRequest))]
[JsonSerializable(typeof(AssociateEncryptionConfigRequest))]
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
[JsonSerializable(typeof(DescribeClusterVersionsResponse))]
internal sealed partial class EksJsonContext : JsonSerializerContext;

/// <summary>
/// The generated metadata with C# <c>required</c> not enforced: requests carry required path members that are
/// [JsonIgnore]d (System.Text.Json rejects that combination), and responses are read leniently, as AWS SDKs do.
/// </summary>
internal static class EksJson
{
    private static readonly System.Text.Json.JsonSerializerOptions Options = new(EksJsonContext.Default.Options)
    {
        TypeInfoResolver = EksJsonContext.Default.WithAddedModifier(static info =>
        {
            foreach (var property in info.Properties)
            {
                property.IsRequired = false;
            }
        }),
    };

    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> Info<T>() =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
