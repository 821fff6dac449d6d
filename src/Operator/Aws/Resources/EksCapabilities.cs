using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Resources;

/// <summary>One UpdateCapability that brings the capability to its spec, with what it corrects.</summary>
public sealed record CapabilityChange(IReadOnlyList<DriftEntry> Drift, UpdateCapabilityBody Body);

/// <summary>EKS capabilities (managed Argo CD, ACK, kro), in the operator's terms.</summary>
public interface IEksCapabilities
{
    Task<EksCapability?> FindAsync(string clusterName, string capabilityName, CancellationToken cancellationToken);

    Task<EksCapability> CreateAsync(string clusterName, string capabilityName, CapabilitySpec spec, string roleArn, Owner owner, CancellationToken cancellationToken);

    /// <summary>What differs that UpdateCapability can change (role, role mappings, network access), as one update; null when nothing does.</summary>
    CapabilityChange? ChangeFor(CapabilitySpec spec, string roleArn, EksCapability observed);

    /// <summary>What differs that no update can change (type, Identity Center, namespace); empty when nothing does.</summary>
    IReadOnlyList<DriftEntry> ImmutableDrift(CapabilitySpec spec, EksCapability observed);

    /// <summary>The update EKS runs, or null when it answered without one.</summary>
    Task<Update?> ApplyAsync(string clusterName, string capabilityName, CapabilityChange change, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string capabilityName, CancellationToken cancellationToken);
}

internal sealed class EksCapabilities(IEksCapabilityApi eks) : IEksCapabilities
{
    public Task<EksCapability?> FindAsync(string clusterName, string capabilityName, CancellationToken cancellationToken) =>
        eks.DescribeCapabilityAsync(clusterName, capabilityName, cancellationToken);

    public Task<EksCapability> CreateAsync(string clusterName, string capabilityName, CapabilitySpec spec, string roleArn, Owner owner, CancellationToken cancellationToken) =>
        eks.CreateCapabilityAsync(clusterName, new CreateCapabilityBody
        {
            CapabilityName = capabilityName,
            Type = CapabilityMapping.TypeName(spec.Type),
            RoleArn = roleArn,
            DeletePropagationPolicy = CapabilityMapping.Propagation(spec),
            Configuration = CapabilityMapping.Configuration(spec),
            Tags = owner.TagsWith(spec.Tags),
            ClientRequestToken = owner.CreateToken("capability"),
        }, cancellationToken);

    public CapabilityChange? ChangeFor(CapabilitySpec spec, string roleArn, EksCapability observed)
    {
        var drift = new List<DriftEntry>();
        var body = new UpdateCapabilityBody();
        if (observed.RoleArn != roleArn)
        {
            drift.Add(new DriftEntry { Field = "spec.roleArn", Desired = roleArn, Actual = observed.RoleArn });
            body = body with { RoleArn = roleArn };
        }

        var wantedPropagation = CapabilityMapping.Propagation(spec);
        if (observed.DeletePropagationPolicy is { } propagation && propagation != wantedPropagation)
        {
            drift.Add(new DriftEntry { Field = "spec.deletePropagation", Desired = wantedPropagation, Actual = propagation });
            body = body with { DeletePropagationPolicy = wantedPropagation };
        }

        // Only Argo CD has settings to update; another type's configuration is EKS's alone.
        if (spec.Type == CapabilityType.ArgoCd && spec.Configuration?.ArgoCd is { } argoCd)
        {
            var actual = observed.Configuration?.ArgoCd;
            var desiredMappings = CapabilityMapping.Normalised(CapabilityMapping.Mappings(argoCd.RbacRoleMappings ?? []));
            var observedMappings = CapabilityMapping.Normalised(actual?.RbacRoleMappings);
            var mappings = CapabilityMapping.MappingChange(desiredMappings, observedMappings);
            if (mappings is not null)
            {
                drift.Add(new DriftEntry
                {
                    Field = "spec.configuration.argoCd.rbacRoleMappings",
                    Desired = CapabilityMapping.Describe(desiredMappings),
                    Actual = CapabilityMapping.Describe(observedMappings),
                });
            }

            var desiredVpce = CapabilityMapping.VpceText(argoCd.NetworkAccess?.VpceIds);
            var observedVpce = CapabilityMapping.VpceText(actual?.NetworkAccess?.VpceIds);
            EksArgoCdNetworkAccess? network = null;
            if (desiredVpce != observedVpce)
            {
                drift.Add(new DriftEntry { Field = "spec.configuration.argoCd.networkAccess", Desired = desiredVpce, Actual = observedVpce });
                network = new EksArgoCdNetworkAccess([.. argoCd.NetworkAccess?.VpceIds ?? []]); // [] opens public access again
            }

            if (mappings is not null || network is not null)
            {
                body = body with { Configuration = new UpdateCapabilityConfiguration(new UpdateArgoCdConfiguration(mappings, network)) };
            }
        }

        return drift.Count > 0 ? new CapabilityChange(drift, body) : null;
    }

    public IReadOnlyList<DriftEntry> ImmutableDrift(CapabilitySpec spec, EksCapability observed) => CapabilityMapping.Immutable(spec, observed);

    public Task<Update?> ApplyAsync(string clusterName, string capabilityName, CapabilityChange change, CancellationToken cancellationToken) =>
        eks.UpdateCapabilityAsync(clusterName, capabilityName, change.Body, cancellationToken);

    public async Task DeleteAsync(string clusterName, string capabilityName, CancellationToken cancellationToken)
    {
        try
        {
            await eks.DeleteCapabilityAsync(clusterName, capabilityName, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            // Gone already: what deletion wanted.
        }
    }
}
