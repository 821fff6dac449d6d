using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// The configuration schemas DescribeAddonConfiguration returns, shaped like EKS's (reference §1.4): JSON Schema
/// draft-06 with a top-level $ref into definitions, and additionalProperties:false on every object EKS manages so that
/// unknown keys are refused. The keys are a plausible subset of the real add-ons' settings, not all of them.
/// </summary>
internal static class AddonSchemas
{
    public static string For(string addon) => (addon switch
    {
        "vpc-cni" => Document("VpcCni",
            Obj("VpcCni", ("enableNetworkPolicy", Str("boolean")), ("env", Ref("Env")), ("init", Ref("Init")), ("nodeAgent", Ref("NodeAgent")),
                ("resources", Ref("Resources")), ("tolerations", ObjectList())),
            Obj("Env", ("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", Str("boolean")), ("AWS_VPC_K8S_CNI_EXTERNALSNAT", Str("boolean")),
                ("AWS_VPC_K8S_CNI_LOGLEVEL", Str()), ("ENABLE_POD_ENI", Str("boolean")), ("ENABLE_PREFIX_DELEGATION", Str("boolean")),
                ("ENI_CONFIG_LABEL_DEF", Str()), ("MINIMUM_IP_TARGET", Str("integer")), ("WARM_ENI_TARGET", Str("integer")), ("WARM_IP_TARGET", Str("integer"))),
            Obj("Init", ("env", Ref("InitEnv"))),
            Obj("InitEnv", ("DISABLE_TCP_EARLY_DEMUX", Str("boolean"))),
            Obj("NodeAgent", ("enablePolicyEventLogs", Str("boolean")), ("resources", Ref("Resources"))),
            Resources(), Limits()),
        "coredns" => Document("Coredns",
            Obj("Coredns", ("affinity", Free()), ("autoScaling", Ref("AutoScaling")), ("corefile", Str()), ("nodeSelector", StringMap()),
                ("podAnnotations", StringMap()), ("podDisruptionBudget", Ref("PodDisruptionBudget")), ("podLabels", StringMap()),
                ("replicaCount", Int(1)), ("resources", Ref("Resources")), ("tolerations", ObjectList())),
            Obj("AutoScaling", ("enabled", Bool()), ("maxReplicas", Int(2)), ("minReplicas", Int(2))),
            Obj("PodDisruptionBudget", ("enabled", Bool()), ("maxUnavailable", new JsonObject()), ("minAvailable", new JsonObject())),
            Resources(), Limits()),
        "kube-proxy" => Document("KubeProxy",
            Obj("KubeProxy", ("ipvs", Ref("Ipvs")), ("mode", Enum("iptables", "ipvs")), ("podAnnotations", StringMap()), ("resources", Ref("Resources"))),
            Obj("Ipvs", ("scheduler", Str())),
            Resources(), Limits()),
        "eks-pod-identity-agent" => Document("EksPodIdentityAgent",
            Obj("EksPodIdentityAgent", ("agent", Ref("Agent")), ("podAnnotations", StringMap()), ("resources", Ref("Resources")), ("tolerations", ObjectList())),
            Obj("Agent", ("additionalArgs", StringMap())),
            Resources(), Limits()),
        "aws-ebs-csi-driver" => Document("AwsEbsCsiDriver",
            Obj("AwsEbsCsiDriver", ("controller", Ref("Controller")), ("defaultStorageClass", Ref("DefaultStorageClass")), ("node", Ref("Node")),
                ("sidecars", Free())),
            Obj("Controller", ("extraVolumeTags", StringMap()), ("loggingFormat", Enum("text", "json")), ("replicaCount", Int(1)),
                ("resources", Ref("Resources")), ("tolerations", ObjectList())),
            Obj("DefaultStorageClass", ("enabled", Bool())),
            Obj("Node", ("resources", Ref("Resources")), ("tolerations", ObjectList()), ("volumeAttachLimit", Int(1))),
            Resources(), Limits()),
        _ => Document("Empty", Obj("Empty")),
    }).ToJsonString();

    private static JsonObject Document(string root, params JsonObject[] definitions)
    {
        var defs = new JsonObject();
        foreach (var d in definitions)
        {
            defs[(string)d["title"]!] = d;
        }

        return new JsonObject
        {
            ["$ref"] = "#/definitions/" + root,
            ["$schema"] = "http://json-schema.org/draft-06/schema#",
            ["definitions"] = defs,
        };
    }

    private static JsonObject Obj(string title, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        return new JsonObject { ["additionalProperties"] = false, ["properties"] = props, ["title"] = title, ["type"] = "object" };
    }

    private static JsonObject Resources() => Obj("Resources", ("limits", Ref("Limits")), ("requests", Ref("Limits")));

    private static JsonObject Limits() => Obj("Limits", ("cpu", Str()), ("memory", Str()));

    private static JsonObject Ref(string definition) => new() { ["$ref"] = "#/definitions/" + definition };

    /// <summary>EKS writes numbers and booleans of environment variables as strings with a format.</summary>
    private static JsonObject Str(string? format = null) => format is null
        ? new JsonObject { ["type"] = "string" }
        : new JsonObject { ["format"] = format, ["type"] = "string" };

    private static JsonObject Int(int minimum) => new() { ["minimum"] = minimum, ["type"] = "integer" };

    private static JsonObject Bool() => new() { ["type"] = "boolean" };

    private static JsonObject Enum(params string[] values) => new() { ["enum"] = Json.Array(values), ["type"] = "string" };

    /// <summary>Kubernetes objects EKS passes through unchecked (affinity, tolerations).</summary>
    private static JsonObject Free() => new() { ["type"] = "object" };

    private static JsonObject ObjectList() => new() { ["items"] = new JsonObject { ["type"] = "object" }, ["type"] = "array" };

    private static JsonObject StringMap() => new() { ["additionalProperties"] = new JsonObject { ["type"] = "string" }, ["type"] = "object" };
}
