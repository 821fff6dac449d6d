using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Packaging.Tests;

/// <summary>
/// Static checks of config/iam/operator-policy.json against the AWS operations the operator's own interfaces declare
/// (src/Operator/Aws: IEksApi, IIamApi, IEc2Api). The dynamic proof against the calls the simulator records is separate.
/// </summary>
public sealed partial class IamPolicyTests
{
    /// <summary>Actions needed although no interface method calls them, each explained in docs/iam.md.</summary>
    private static readonly string[] DocumentedExtras =
    [
        "iam:PassRole",                // implied by CreateCluster/CreateNodegroup/CreateFargateProfile with a role ARN
        "iam:CreateServiceLinkedRole", // EKS creates its service-linked roles on first use in an account
        "kms:DescribeKey",             // secrets encryption with a customer key
        "kms:CreateGrant",
        "sts:GetCallerIdentity",       // presigned for the EKS bearer token (kubeconfig Token mode)
        "sts:AssumeRole",              // AwsIdentity roles in other accounts, through AWSSDK.SecurityToken
    ];

    private static readonly JsonObject Policy = JsonNode.Parse(Repository.Read("config/iam/operator-policy.json"))!.AsObject();

    private static IEnumerable<JsonObject> Statements => Policy["Statement"]!.AsArray().Select(s => s!.AsObject());

    [Fact]
    public void Policy_is_well_formed_with_unique_documented_sids()
    {
        Assert.Equal("2012-10-17", (string?)Policy["Version"]);
        var sids = Statements.Select(s => (string)s["Sid"]!).ToList();
        Assert.Equal(sids.Count, sids.Distinct(StringComparer.Ordinal).Count());
        var doc = Repository.Read("docs/iam.md");
        Assert.All(Statements, s => Assert.Equal("Allow", (string?)s["Effect"]));
        Assert.All(sids, sid => Assert.Contains($"`{sid}`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_grants_every_operation_of_the_aws_interfaces_and_nothing_undocumented()
    {
        var needed = InterfaceActions("src/Operator/Aws/Eks/IEksApi.cs", "eks")
            .Concat(InterfaceActions("src/Operator/Aws/Eks/IEksAccessApi.cs", "eks"))
            .Concat(InterfaceActions("src/Operator/Aws/Eks/IEksPodIdentityApi.cs", "eks"))
            .Concat(InterfaceActions("src/Operator/Aws/Eks/IEksAddonApi.cs", "eks"))
            .Concat(InterfaceActions("src/Operator/Aws/Eks/IEksInsightsApi.cs", "eks"))
            .Concat(InterfaceActions("src/Operator/Aws/Eks/IEksCapabilityApi.cs", "eks"))
            .Concat(InterfaceActions("src/Operator/Aws/Iam/IIamApi.cs", "iam"))
            .Concat(InterfaceActions("src/Operator/Aws/Ec2/IEc2Api.cs", "ec2"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(needed.Count >= 30, $"expected the EKS, IAM and EC2 operations, found {needed.Count}");

        var granted = Actions().ToHashSet(StringComparer.Ordinal);
        Assert.Empty(needed.Except(granted).Order(StringComparer.Ordinal));
        Assert.Empty(granted.Except(needed).Except(DocumentedExtras).Order(StringComparer.Ordinal));
        var doc = Repository.Read("docs/iam.md");
        Assert.All(DocumentedExtras, extra => Assert.Contains(extra, doc, StringComparison.Ordinal));
    }

    [Fact]
    public void No_wildcard_actions_and_risky_actions_are_conditioned()
    {
        Assert.DoesNotContain(Actions(), a => a.Contains('*', StringComparison.Ordinal));

        var passRole = Assert.Single(Statements, s => Actions(s).Contains("iam:PassRole"));
        Assert.Equal(["iam:PassRole"], Actions(passRole));
        Assert.Equal(["eks.amazonaws.com", "pods.eks.amazonaws.com", "capabilities.eks.amazonaws.com"], passRole["Condition"]!["StringEquals"]!["iam:PassedToService"]!.AsArray().Select(s => (string)s!));

        var attach = Assert.Single(Statements, s => Actions(s).Contains("iam:AttachRolePolicy"));
        var policies = attach["Condition"]!["ArnEquals"]!["iam:PolicyARN"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.All(policies, p => Assert.StartsWith("arn:aws:iam::aws:policy/", p, StringComparison.Ordinal));
        Assert.DoesNotContain(policies, p => p.Contains("Admin", StringComparison.OrdinalIgnoreCase) || p.Contains("FullAccess", StringComparison.Ordinal));

        foreach (var destructive in new[] { "iam:DeleteRole", "iam:DeleteOpenIDConnectProvider", "eks:DeleteCluster", "eks:DeleteNodegroup", "eks:DeleteFargateProfile", "eks:DeleteAccessEntry", "eks:DeletePodIdentityAssociation", "eks:DeleteAddon", "eks:DeleteCapability" })
        {
            var statement = Assert.Single(Statements, s => Actions(s).Contains(destructive));
            Assert.Contains("managed-by", statement["Condition"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tag_conditions_use_the_ownership_tag_the_operator_writes()
    {
        // The constants in src/Entities (OwnershipTags) are what the operator puts on every AWS resource it creates.
        var entities = Repository.Read("src/Entities/OperatorApi.cs");
        var key = ConstantPattern("ManagedBy").Match(entities).Groups[1].Value;
        var value = ConstantPattern("ManagedByValue").Match(entities).Groups[1].Value;
        Assert.Equal("app.kubernetes.io/managed-by", key);
        Assert.False(string.IsNullOrEmpty(value));

        var tagConditions = Statements
            .Select(s => s["Condition"]?["StringEquals"]?.AsObject())
            .OfType<JsonObject>()
            .SelectMany(c => c)
            .Where(c => c.Key.Contains("Tag/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(6, tagConditions.Count); // create (request tag) for EKS and OIDC providers; EKS delete, IAM role delete, role trust update and OIDC provider delete (resource tag)
        Assert.All(tagConditions, c =>
        {
            Assert.EndsWith("Tag/" + key, c.Key, StringComparison.Ordinal);
            Assert.Equal(value, (string?)c.Value);
        });
    }

    private static Regex ConstantPattern(string name) => new($@"const string {name} = ""([^""]*)""", RegexOptions.None, TimeSpan.FromSeconds(1));

    private static List<string> Actions() => Statements.SelectMany(Actions).ToList();

    private static List<string> Actions(JsonObject statement) => statement["Action"] switch
    {
        JsonArray many => many.Select(a => (string)a!).ToList(),
        var one => [(string)one!],
    };

    private static IEnumerable<string> InterfaceActions(string path, string service) =>
        OperationPattern().Matches(Repository.Read(path)).Select(m => $"{service}:{m.Groups[1].Value}");

    [GeneratedRegex(@"Task(?:<[^;]*?>)?\s+(\w+)Async\(")]
    private static partial Regex OperationPattern();
}
