using System.Text.Json;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Simulators.Aws;
using k8s;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>
/// One operator, two AWS accounts and two regions: an AwsIdentity maps the default namespace to a role in account B
/// (assumed with an external id, in eu-west-1); another namespace stays with the operator's own account A. Each
/// cluster lands in its account and region, the role is assumed once, and account A throttled to the last call does
/// not keep account B's changes from AWS.
/// </summary>
public sealed class AccountsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string ExternalId = "shop-3c91";
    private const string Home = "home";

    [Fact]
    public async Task Clusters_land_in_the_account_and_region_of_their_namespaces_identity_and_a_throttled_account_does_not_hold_up_another()
    {
        await using var env = await OperatorEnvironment.StartAsync(new AwsSimulatorOptions { Accounts = 2, AdditionalRegions = ["eu-west-1"] }, true, null);
        var (a, b) = (env.Aws.Accounts[0], env.Aws.Accounts[1]);
        env.Aws.Seed(b.Id, new AwsSeed
        {
            Roles = [new AwsSeedRole
            {
                Name = "eks-operator-access",
                AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"EXTERNAL"}}}]}"""
                    .Replace("ACCOUNT", a.Id, StringComparison.Ordinal).Replace("EXTERNAL", ExternalId, StringComparison.Ordinal),
            }],
        });
        await env.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Home } });
        await env.Client.CustomObjects.CreateClusterCustomObjectAsync(new AwsIdentity
        {
            Metadata = new V1ObjectMeta { Name = "shop" },
            Spec = new AwsIdentitySpec
            {
                RoleArn = $"arn:aws:iam::{b.Id}:role/eks-operator-access",
                ExternalId = ExternalId,
                Region = "eu-west-1",
                NamespaceSelector = new NamespaceSelector { MatchNames = [env.Namespace] },
            },
        }, OperatorApi.Group, OperatorApi.Version, OperatorApi.Plurals.AwsIdentities);

        var shopCluster = Manifests.Cluster("shop", env.Aws.DefaultNetworkOf(b.Id, "eu-west-1").PrivateSubnetIds);
        shopCluster.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Exec, ArgoCd = true };
        await env.CreateAsync(shopCluster);
        await CreateInAsync(env, Home, Manifests.Cluster("own", env.Aws.DefaultNetworkOf(a.Id).PrivateSubnetIds));

        var shop = await env.ReadyAsync<EksCluster>("shop");
        Assert.Equal(new IdentityInUse { Name = "shop", AccountId = b.Id }, shop.Status!.Identity);
        Assert.Equal("eu-west-1", shop.Status.Region);
        Assert.StartsWith($"arn:aws:eks:eu-west-1:{b.Id}:cluster/shop", shop.Status.Arn, StringComparison.Ordinal);
        // The outputs reach the cluster in account B: the exec plugin and Argo CD assume the identity's role.
        var roleB = $"arn:aws:iam::{b.Id}:role/eks-operator-access";
        var kubeconfig = await env.Client.CoreV1.ReadNamespacedSecretAsync(shop.Status.KubeconfigSecretName!, env.Namespace);
        Assert.Contains($"--region, eu-west-1, --role-arn, {roleB}", System.Text.Encoding.UTF8.GetString(kubeconfig.Data["value"]), StringComparison.Ordinal);
        var argo = await env.Client.CoreV1.ReadNamespacedSecretAsync("shop-argocd-cluster", env.Namespace);
        Assert.Contains($"\"roleARN\":\"{roleB}\"", System.Text.Encoding.UTF8.GetString(argo.Data["config"]), StringComparison.Ordinal);
        var own = await OperatorEnvironment.EventuallyAsync(() => GetInAsync<EksCluster>(env, Home, "own"), OperatorEnvironment.IsReady, "own Ready");
        Assert.Null(own!.Status!.Identity?.Name);
        Assert.StartsWith($"arn:aws:eks:us-west-2:{a.Id}:cluster/own", own.Status.Arn, StringComparison.Ordinal);

        var identity = await OperatorEnvironment.EventuallyAsync(() => GetIdentityAsync(env, "shop"), OperatorEnvironment.IsReady, "identity Ready");
        Assert.Equal(b.Id, identity!.Status!.AccountId);
        Assert.Equal([env.Namespace], identity.Status.Namespaces);
        Assert.Equal($"arn:aws:sts::{b.Id}:assumed-role/eks-operator-access/eks-operator", identity.Status.AssumedRoleArn);

        // Each account's calls were answered from its own state; the cluster's owned role is in account B's IAM.
        var calls = env.Aws.Calls.Entries();
        Assert.All(calls.Where(c => c.Service == "eks" && c.Region == "eu-west-1"), c => Assert.Equal(b.Id, c.Account));
        Assert.Contains(calls, c => c is { Operation: "CreateRole", Service: "iam" } && c.Account == b.Id);
        Assert.Equal(1, calls.Count(c => c.Operation == "AssumeRole"));
        Assert.DoesNotContain(calls, c => c.Operation == "CreateCluster" && c.Account == a.Id && c.Region == "eu-west-1");

        // B's change latency (patch to TagResource answered), unthrottled, to compare with the run below (printed, never asserted).
        var quiet = await TagLatencyAsync(env, b.Id, "quiet");

        // Account A throttled on every call: B's change still reaches AWS.
        env.Aws.Faults.Accounts = [a.Id];
        env.Aws.Faults.ThrottleRate = 1;
        await CreateInAsync(env, Home, Manifests.Cluster("stuck", env.Aws.DefaultNetworkOf(a.Id).PrivateSubnetIds));
        await OperatorEnvironment.EventuallyAsync(() => Task.FromResult(env.Aws.Calls.Entries().Count(c => c.Account == a.Id && c.StatusCode >= 400)),
            n => n >= 1, "account A throttled");
        var throttled = await TagLatencyAsync(env, b.Id, "throttled-a");
        output.WriteLine($"account B tag change reached AWS in {quiet.TotalMilliseconds:F0} ms unthrottled, {throttled.TotalMilliseconds:F0} ms with account A throttled");
        Assert.Contains(env.Aws.Calls.Entries(), c => c.Operation == "TagResource" && c.Account == b.Id && c.StatusCode is >= 200 and < 300);
        Assert.DoesNotContain(env.Aws.Calls.Entries(), c => c.Operation == "CreateCluster" && c.Account == a.Id && c.StatusCode is >= 200 and < 300 && c.Resource?.Contains("stuck", StringComparison.Ordinal) == true);
        env.Aws.Faults.ThrottleRate = 0;

        await env.DeleteAsync<EksCluster>("shop");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("shop"), c => c is null, "shop deleted", TimeSpan.FromSeconds(60));
        Assert.Empty((await env.AwsStateAsync(b.Id, "eu-west-1"))["clusters"]!.AsArray());
    }

    /// <summary>Patches shop's tags and waits for B's TagResource carrying the new value to be answered: the time it took.</summary>
    private static async Task<TimeSpan> TagLatencyAsync(OperatorEnvironment env, string account, string value)
    {
        var before = env.Aws.Calls.Entries().Count(c => c.Operation == "TagResource" && c.Account == account && c.StatusCode is >= 200 and < 300);
        var started = TimeProvider.System.GetTimestamp();
        await env.PatchSpecAsync<EksCluster>("shop", new { tags = new Dictionary<string, string> { ["team"] = "shop", ["run"] = value } });
        await OperatorEnvironment.EventuallyAsync(
            () => Task.FromResult(env.Aws.Calls.Entries().Count(c => c.Operation == "TagResource" && c.Account == account && c.StatusCode is >= 200 and < 300)),
            n => n > before, $"B's TagResource ({value})");
        var took = TimeProvider.System.GetElapsedTime(started);
        await env.EventuallyReadyAtAsync<EksCluster>("shop", c => c.Status?.ObservedGeneration == c.Metadata.Generation);
        return took;
    }

    private static async Task CreateInAsync<T>(OperatorEnvironment env, string ns, T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata.NamespaceProperty = ns;
        var plural = obj.GetType().GetCustomAttributes(typeof(KubernetesEntityAttribute), false).Cast<KubernetesEntityAttribute>().Single().PluralName;
        await env.Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, OperatorApi.Group, OperatorApi.Version, ns, plural);
    }

    private static async Task<T?> GetInAsync<T>(OperatorEnvironment env, string ns, string name)
        where T : class
    {
        var plural = typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), false).Cast<KubernetesEntityAttribute>().Single().PluralName;
        var obj = await env.Client.CustomObjects.GetNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, ns, plural, name);
        return KubernetesJson.Deserialize<T>(JsonSerializer.Serialize(obj));
    }

    private static async Task<AwsIdentity?> GetIdentityAsync(OperatorEnvironment env, string name)
    {
        var obj = await env.Client.CustomObjects.GetClusterCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, OperatorApi.Plurals.AwsIdentities, name);
        return KubernetesJson.Deserialize<AwsIdentity>(JsonSerializer.Serialize(obj));
    }
}
