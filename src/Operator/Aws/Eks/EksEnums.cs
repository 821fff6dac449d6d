using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

// Statuses are enums (the controllers switch on them); a value AWS adds later reads as Unknown instead of failing.
// Open-ended vocabularies (AMI types, update types, ...) stay strings with the spellings in EksValues.

[JsonConverter(typeof(AwsEnumConverter<ClusterStatus>))]
public enum ClusterStatus
{
    Unknown = 0,
    [JsonStringEnumMemberName("CREATING")] Creating,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("DELETING")] Deleting,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("UPDATING")] Updating,
    [JsonStringEnumMemberName("PENDING")] Pending,
}

[JsonConverter(typeof(AwsEnumConverter<NodegroupStatus>))]
public enum NodegroupStatus
{
    Unknown = 0,
    [JsonStringEnumMemberName("CREATING")] Creating,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("UPDATING")] Updating,
    [JsonStringEnumMemberName("DELETING")] Deleting,
    [JsonStringEnumMemberName("CREATE_FAILED")] CreateFailed,
    [JsonStringEnumMemberName("DELETE_FAILED")] DeleteFailed,
    [JsonStringEnumMemberName("DEGRADED")] Degraded,
}

[JsonConverter(typeof(AwsEnumConverter<FargateProfileStatus>))]
public enum FargateProfileStatus
{
    Unknown = 0,
    [JsonStringEnumMemberName("CREATING")] Creating,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("DELETING")] Deleting,
    [JsonStringEnumMemberName("CREATE_FAILED")] CreateFailed,
    [JsonStringEnumMemberName("DELETE_FAILED")] DeleteFailed,
}

/// <summary>Mixed case on the wire, unlike the resource statuses.</summary>
[JsonConverter(typeof(AwsEnumConverter<UpdateStatus>))]
public enum UpdateStatus
{
    Unknown = 0,
    [JsonStringEnumMemberName("InProgress")] InProgress,
    [JsonStringEnumMemberName("Failed")] Failed,
    [JsonStringEnumMemberName("Cancelled")] Cancelled,
    [JsonStringEnumMemberName("Successful")] Successful,
}

/// <summary>The API form (NO_SCHEDULE), not Kubernetes' (NoSchedule).</summary>
[JsonConverter(typeof(AwsEnumConverter<TaintEffect>))]
public enum TaintEffect
{
    Unknown = 0,
    [JsonStringEnumMemberName("NO_SCHEDULE")] NoSchedule,
    [JsonStringEnumMemberName("NO_EXECUTE")] NoExecute,
    [JsonStringEnumMemberName("PREFER_NO_SCHEDULE")] PreferNoSchedule,
}

/// <summary>AWS's spellings of the string-typed EKS enums the operator uses.</summary>
public static class EksValues
{
    public static class UpdateTypes
    {
        public const string VersionUpdate = "VersionUpdate";
        public const string EndpointAccessUpdate = "EndpointAccessUpdate";
        public const string LoggingUpdate = "LoggingUpdate";
        public const string ConfigUpdate = "ConfigUpdate";
        public const string VpcConfigUpdate = "VpcConfigUpdate";
        public const string AccessConfigUpdate = "AccessConfigUpdate";
        public const string UpgradePolicyUpdate = "UpgradePolicyUpdate";
    }

    public static class CapacityTypes
    {
        public const string OnDemand = "ON_DEMAND";
        public const string Spot = "SPOT";
        public const string CapacityBlock = "CAPACITY_BLOCK";
    }

    public static class AuthenticationModes
    {
        public const string Api = "API";
        public const string ApiAndConfigMap = "API_AND_CONFIG_MAP";
        public const string ConfigMap = "CONFIG_MAP";
    }

    public static class SupportTypes
    {
        public const string Standard = "STANDARD";
        public const string Extended = "EXTENDED";
    }

    public static class LogTypes
    {
        public const string Api = "api";
        public const string Audit = "audit";
        public const string Authenticator = "authenticator";
        public const string ControllerManager = "controllerManager";
        public const string Scheduler = "scheduler";
    }

    public static class IpFamilies
    {
        public const string Ipv4 = "ipv4";
        public const string Ipv6 = "ipv6";
    }
}
