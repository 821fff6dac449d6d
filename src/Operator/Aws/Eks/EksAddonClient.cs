using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksAddonApi"/>.</summary>
internal sealed class EksAddonClient(AwsTransport transport) : IEksAddonApi
{
    private readonly EksRest _rest = new(transport);

    public async Task<EksAddon?> DescribeAddonAsync(string clusterName, string addonName, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeAddon", "/clusters/{name}/addons/{addonName}", [Label("name", clusterName), Label("addonName", addonName)], [],
            EksAddonJsonContext.Default.AddonEnvelope, cancellationToken))?.Addon;
}
