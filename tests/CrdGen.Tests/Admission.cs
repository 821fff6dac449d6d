using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Admission;

namespace CrdGen.Tests;

/// <summary>Runs an object through a CRD as the apiserver would on create or update.</summary>
internal static class Admission
{
    public static readonly IReadOnlyDictionary<string, string> PluralOf = new Dictionary<string, string>
    {
        ["EksCluster"] = "eksclusters",
        ["ManagedNodeGroup"] = "managednodegroups",
        ["FargateProfile"] = "fargateprofiles",
        ["Addon"] = "addons",
        ["AccessEntry"] = "accessentries",
        ["PodIdentityAssociation"] = "podidentityassociations",
        ["Capability"] = "capabilities",
        ["AwsIdentity"] = "awsidentities",
    };

    public static IReadOnlyList<FieldError> Admit(JsonObject crd, JsonObject obj, JsonObject? old = null)
    {
        var schema = CrdSchema.FromCrd(crd, "v1alpha1");
        var candidate = (JsonObject)obj.DeepClone();
        schema.ApplyDefaults(candidate);
        schema.Prune(candidate);
        JsonObject? previous = null;
        if (old is not null)
        {
            previous = (JsonObject)old.DeepClone();
            schema.ApplyDefaults(previous);
            schema.Prune(previous);
        }

        return schema.Validate(candidate, previous);
    }

    public static JsonObject Base(string kind) => kind switch
    {
        "EksCluster" => Object(kind, """
            {"version": "1.33", "vpc": {"subnetIds": ["subnet-0a000000000000011", "subnet-0a000000000000012"]}}
            """),
        "ManagedNodeGroup" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "scaling": {"minSize": 1, "maxSize": 3, "desiredSize": 2}}
            """),
        "FargateProfile" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "subnetIds": ["subnet-0a000000000000011"], "selectors": [{"namespace": "default"}]}
            """),
        "Addon" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "name": "vpc-cni"}
            """),
        "AccessEntry" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "principalArn": "arn:aws:iam::123456789012:role/admins"}
            """),
        "PodIdentityAssociation" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "namespace": "apps", "serviceAccount": "web", "roleArn": "arn:aws:iam::123456789012:role/web"}
            """),
        "Capability" => Object(kind, """
            {"clusterRef": {"name": "c1"}, "type": "ARGOCD", "configuration": {"argoCd": {"awsIdc": {"idcInstanceArn": "arn:aws:sso:::instance/ssoins-1234567890abcdef"}}}}
            """),
        "AwsIdentity" => Object(kind, """
            {"roleArn": "arn:aws:iam::222222222222:role/eks-operator-access", "namespaceSelector": {"matchNames": ["shop"]}}
            """),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static JsonObject Object(string kind, string specJson) => new()
    {
        ["apiVersion"] = "eks.operator.dev/v1alpha1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = "x1", ["namespace"] = "default" },
        ["spec"] = JsonNode.Parse(specJson),
    };
}
