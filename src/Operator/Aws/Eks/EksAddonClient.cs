using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksAddonApi"/>.</summary>
internal sealed class EksAddonClient(AwsTransport transport) : IEksAddonApi
{
    private const string One = "/clusters/{name}/addons/{addonName}";
    private readonly EksRest _rest = new(transport);
    private static EksAddonJsonContext Json => EksAddonJsonContext.Default;

    public async Task<EksAddon> CreateAddonAsync(string clusterName, CreateAddonBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateAddon", "/clusters/{name}/addons", [Label("name", clusterName)], body, Json.CreateAddonBody, Json.AddonEnvelope, cancellationToken)).Addon);

    public async Task<EksAddon?> DescribeAddonAsync(string clusterName, string addonName, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeAddon", One, Labels(clusterName, addonName), [], Json.AddonEnvelope, cancellationToken))?.Addon;

    public async Task<Update> UpdateAddonAsync(string clusterName, string addonName, UpdateAddonBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateAddon", One + "/update", Labels(clusterName, addonName), body, Json.UpdateAddonBody, Json.UpdateEnvelope, cancellationToken)).Update);

    public async Task DeleteAddonAsync(string clusterName, string addonName, bool preserve, CancellationToken cancellationToken = default) =>
        await _rest.DeleteAsync("DeleteAddon", One, Labels(clusterName, addonName), preserve ? [Query("preserve", "true")] : [], Json.AddonEnvelope, cancellationToken);

    public async Task<IReadOnlyList<EksAddonVersionInfo>> DescribeAddonVersionsAsync(string addonName, string kubernetesVersion, CancellationToken cancellationToken = default)
    {
        var versions = new List<EksAddonVersionInfo>();
        string? next = null;
        do
        {
            var query = Paging(100, next);
            query.Add(Query("addonName", addonName));
            query.Add(Query("kubernetesVersion", kubernetesVersion));
            var page = await _rest.GetAsync("DescribeAddonVersions", "/addons/supported-versions", [], query, Json.DescribeAddonVersionsResponse, cancellationToken);
            versions.AddRange((page.Addons ?? []).Where(a => a.AddonName == addonName).SelectMany(a => a.AddonVersions ?? []));
            next = NextPage(page.NextToken, next, "DescribeAddonVersions");
        }
        while (next is not null);

        return versions;
    }

    public Task<EksAddonConfiguration> DescribeAddonConfigurationAsync(string addonName, string addonVersion, CancellationToken cancellationToken = default) =>
        _rest.GetAsync("DescribeAddonConfiguration", "/addons/configuration-schemas", [], [Query("addonName", addonName), Query("addonVersion", addonVersion)],
            Json.EksAddonConfiguration, cancellationToken);

    private static KeyValuePair<string, string>[] Labels(string clusterName, string addonName) => [Label("name", clusterName), Label("addonName", addonName)];
}
