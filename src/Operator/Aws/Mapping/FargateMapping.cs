using System.Security.Cryptography;
using System.Text;
using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Mapping;

/// <summary>FargateProfile spec ⇄ the EKS API.</summary>
public static class FargateMapping
{
    public static CreateFargateProfileRequest ToCreateRequest(string clusterName, string profileName, FargateProfileSpec spec, string roleArn, Owner owner, string specHash) => new()
    {
        ClusterName = clusterName,
        FargateProfileName = profileName,
        PodExecutionRoleArn = roleArn,
        Subnets = spec.SubnetIds.ToList(),
        Selectors = spec.Selectors.Select(s => new FargateProfileSelector
        {
            Namespace = s.Namespace,
            Labels = s.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
        }).ToList(),
        // One token per spec version: a replacement is a new create, a retried create of the same spec a replay.
        ClientRequestToken = owner.CreateToken("fargate-" + specHash),
        Tags = owner.TagsWith(spec.Tags),
    };

    /// <summary>
    /// A short stable hash of what EKS cannot change in a profile (role, subnets, selectors), used to name
    /// replacements and to notice that the spec moved on.
    /// </summary>
    public static string SpecHash(FargateProfileSpec spec, string roleArn)
    {
        var text = new StringBuilder(roleArn).Append('|');
        foreach (var subnet in spec.SubnetIds.Order(StringComparer.Ordinal)) text.Append(subnet).Append(',');
        foreach (var selector in spec.Selectors)
        {
            text.Append('|').Append(selector.Namespace);
            foreach (var (key, value) in (selector.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                text.Append(';').Append(key).Append('=').Append(value);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
    }
}
