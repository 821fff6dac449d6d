using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksCapabilityApi"/>.</summary>
internal sealed class EksCapabilityClient(AwsTransport transport) : IEksCapabilityApi
{
    private const string Collection = "/clusters/{name}/capabilities";
    private const string One = Collection + "/{capabilityName}";
    private readonly EksRest _rest = new(transport);
    private static EksCapabilityJsonContext Json => EksCapabilityJsonContext.Default;

    public async Task<EksCapability> CreateCapabilityAsync(string clusterName, CreateCapabilityBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateCapability", Collection, [Label("name", clusterName)], body, Json.CreateCapabilityBody, Json.CapabilityEnvelope, cancellationToken)).Capability);

    public async Task<EksCapability?> DescribeCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeCapability", One, Labels(clusterName, capabilityName), [], Json.CapabilityEnvelope, cancellationToken))?.Capability;

    public async Task<Update?> UpdateCapabilityAsync(string clusterName, string capabilityName, UpdateCapabilityBody body, CancellationToken cancellationToken = default) =>
        (await _rest.PostAsync("UpdateCapability", One, Labels(clusterName, capabilityName), body, Json.UpdateCapabilityBody, Json.UpdateEnvelope, cancellationToken)).Update;

    public async Task DeleteCapabilityAsync(string clusterName, string capabilityName, CancellationToken cancellationToken = default) =>
        await _rest.DeleteAsync("DeleteCapability", One, Labels(clusterName, capabilityName), [], Json.CapabilityEnvelope, cancellationToken);

    private static KeyValuePair<string, string>[] Labels(string clusterName, string capabilityName) => [Label("name", clusterName), Label("capabilityName", capabilityName)];
}
