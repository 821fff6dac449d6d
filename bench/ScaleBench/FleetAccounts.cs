using System.Diagnostics;
using System.Text.Json;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Simulators.Aws;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace EksOperator.Bench.Scale;

/// <summary>
/// The accounts of <c>--accounts N</c>. Account 0 is the operator's own (its long-term key) and keeps the default
/// namespace with no AwsIdentity, exactly as a one-account run. Account k ≥ 1 gets a role <see cref="RoleName"/>
/// trusting account 0's root (with an external id), a namespace <c>account-k</c>, and a cluster-scoped AwsIdentity
/// mapping that namespace to the role, in the operator's region.
/// </summary>
internal static class FleetAccounts
{
    public const string RoleName = "eks-operator-access";
    public const string ExternalId = "scale-bench";
    private const string OwnNamespace = "default";

    public static string NamespaceOf(int account) => account == 0 ? OwnNamespace : $"account-{account}";

    /// <summary>Seeds each account's roles; with <paramref name="sharedRoles"/> also the three roles the fleet names.</summary>
    public static IReadOnlyList<FleetAccount> Seed(AwsSimulator aws, bool sharedRoles)
    {
        var own = aws.Accounts[0];
        var accounts = new List<FleetAccount>(aws.Accounts.Count);
        for (var k = 0; k < aws.Accounts.Count; k++)
        {
            var id = aws.Accounts[k].Id;
            if (k > 0)
            {
                var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"EXTERNAL"}}}]}"""
                    .Replace("ACCOUNT", own.Id, StringComparison.Ordinal).Replace("EXTERNAL", ExternalId, StringComparison.Ordinal);
                aws.Seed(id, new AwsSeed { Roles = [new AwsSeedRole { Name = RoleName, AssumeRolePolicyDocument = trust }] });
            }

            accounts.Add(new FleetAccount(id, NamespaceOf(k), aws.DefaultNetworkOf(id), sharedRoles ? SeedSharedRoles(aws, id) : null));
        }

        return accounts;
    }

    /// <summary>
    /// Creates the namespaces and AwsIdentities of accounts 1..N-1 and, with <paramref name="waitReady"/>, waits until
    /// each identity is Ready (its role assumed). Without: only the default shard writes an identity's status, and a
    /// sharded run has none (its shards assume each role when they first need it).
    /// </summary>
    public static async Task MapAsync(string kubeconfig, IReadOnlyList<FleetAccount> accounts, string region, TimeSpan timeout, bool waitReady = true)
    {
        if (accounts.Count < 2) return;
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        for (var k = 1; k < accounts.Count; k++)
        {
            var account = accounts[k];
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = account.Namespace } });
            await client.CustomObjects.CreateClusterCustomObjectAsync(new AwsIdentity
            {
                ApiVersion = $"{OperatorApi.Group}/{OperatorApi.Version}",
                Kind = "AwsIdentity",
                Metadata = new V1ObjectMeta { Name = account.Namespace },
                Spec = new AwsIdentitySpec
                {
                    RoleArn = $"arn:aws:iam::{account.Id}:role/{RoleName}",
                    ExternalId = ExternalId,
                    Region = region,
                    NamespaceSelector = new NamespaceSelector { MatchNames = [account.Namespace] },
                },
            }, OperatorApi.Group, OperatorApi.Version, OperatorApi.Plurals.AwsIdentities);
        }

        if (!waitReady) return;
        var timer = Stopwatch.StartNew();
        foreach (var account in accounts.Skip(1))
        {
            while (!await IsReadyAsync(client, account.Namespace))
            {
                if (timer.Elapsed > timeout) throw new TimeoutException($"AwsIdentity {account.Namespace} not Ready after {timeout.TotalSeconds:F0} s");
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
            }
        }
    }

    private static async Task<bool> IsReadyAsync(Kubernetes client, string name)
    {
        try
        {
            var obj = await client.CustomObjects.GetClusterCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, OperatorApi.Plurals.AwsIdentities, name);
            var node = JsonSerializer.SerializeToNode(obj);
            return node?["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static SharedRoles SeedSharedRoles(AwsSimulator aws, string accountId)
    {
        static string Trust(string service) =>
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{service}}"},"Action":"sts:AssumeRole"}]}""";
        var seeded = aws.Seed(accountId, new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole { Name = "fleet-eks-cluster", AssumeRolePolicyDocument = Trust("eks.amazonaws.com"), PolicyArns = ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"] },
                new AwsSeedRole
                {
                    Name = "fleet-node",
                    AssumeRolePolicyDocument = Trust("ec2.amazonaws.com"),
                    PolicyArns = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"],
                },
                new AwsSeedRole { Name = "fleet-fargate", AssumeRolePolicyDocument = Trust("eks-fargate-pods.amazonaws.com"), PolicyArns = ["arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"] },
            ],
        });
        return new SharedRoles(seeded.RoleArns[0], seeded.RoleArns[1], seeded.RoleArns[2]);
    }
}
