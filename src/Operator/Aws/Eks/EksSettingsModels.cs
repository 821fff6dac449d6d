namespace EksOperator.Aws.Eks;

// Shapes of the newer cluster settings (EKS Auto Mode, hybrid networks, control-plane tier), as on the wire.

/// <summary>ComputeConfigRequest and ComputeConfigResponse (same members).</summary>
public sealed record ComputeConfig
{
    public bool? Enabled { get; init; }
    public IReadOnlyList<string>? NodePools { get; init; }
    public string? NodeRoleArn { get; init; }
}

/// <summary>StorageConfigRequest and StorageConfigResponse.</summary>
public sealed record StorageConfig
{
    public BlockStorage? BlockStorage { get; init; }
}

public sealed record BlockStorage
{
    public bool? Enabled { get; init; }
}

/// <summary>RemoteNetworkConfigRequest and RemoteNetworkConfigResponse.</summary>
public sealed record RemoteNetworkConfig
{
    public IReadOnlyList<RemoteNetworkCidrs>? RemoteNodeNetworks { get; init; }
    public IReadOnlyList<RemoteNetworkCidrs>? RemotePodNetworks { get; init; }
}

/// <summary>RemoteNodeNetwork and RemotePodNetwork.</summary>
public sealed record RemoteNetworkCidrs
{
    public IReadOnlyList<string>? Cidrs { get; init; }
}

public sealed record ControlPlaneScalingConfig
{
    /// <summary>standard, tier-xl, tier-2xl, tier-4xl, tier-8xl (kept a string: EKS adds tiers).</summary>
    public string? Tier { get; init; }
}
