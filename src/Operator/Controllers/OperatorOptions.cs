using System.ComponentModel.DataAnnotations;

namespace EksOperator.Controllers;

/// <summary>Operator behaviour (section "Operator" of the configuration), validated at start.</summary>
public sealed class OperatorOptions
{
    /// <summary>AWS region this operator manages; EksClusters without spec.region use it.</summary>
    [Required]
    [RegularExpression("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Shortest wait between polls of an AWS resource that is changing (CREATING, UPDATING, DELETING).</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest such wait.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an in-sync resource is compared with AWS to catch drift.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Token-mode kubeconfigs are rewritten at least this often (EKS tokens live 15 minutes).</summary>
    public TimeSpan TokenRefreshPeriod { get; set; } = TimeSpan.FromMinutes(10);
}
