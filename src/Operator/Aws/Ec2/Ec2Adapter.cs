using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using EksOperator.Aws.Transport;

namespace EksOperator.Aws.Ec2;

/// <summary>
/// <see cref="IEc2Api"/> over the real AWSSDK.EC2 (its own signing and standard-mode retries), behind our token bucket:
/// <paramref name="ec2"/> for the operator's own identity and region, one more client per other <see cref="AwsTarget"/>.
/// </summary>
internal sealed class Ec2Adapter(IAmazonEC2 ec2, AwsOptions options, AwsRateLimiters rateLimiters, AwsCredentialSource credentials) : IEc2Api
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AwsTarget, Lazy<IAmazonEC2>> _clients = new();

    /// <summary>The client of the current scope's target.</summary>
    private IAmazonEC2 Client => AwsScope.Current is { } target && !AwsTarget.IsOwn(target, options.Region)
        ? _clients.GetOrAdd(target, t => new Lazy<IAmazonEC2>(() => CreateClient(options with { Region = t.Region }, credentials.For(t.Role)))).Value
        : ec2;

    public async Task<IReadOnlyList<Ec2Subnet>> DescribeSubnetsAsync(Ec2SubnetQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = TagFilters(query.Tags);
        AddFilter(filters, "vpc-id", query.VpcId);
        if (query.AvailabilityZones is { Count: > 0 } zones)
        {
            filters.Add(new Filter("availability-zone", [.. zones]));
        }

        var result = new List<Ec2Subnet>();
        string? next = null;
        do
        {
            var request = new DescribeSubnetsRequest { NextToken = next };
            if (query.SubnetIds is { Count: > 0 } ids)
            {
                request.SubnetIds = [.. ids];
            }

            if (filters.Count > 0)
            {
                request.Filters = filters;
            }

            var response = await CallAsync(ct => Client.DescribeSubnetsAsync(request, ct), cancellationToken);
            result.AddRange((response.Subnets ?? []).Select(s => new Ec2Subnet(
                s.SubnetId,
                s.VpcId,
                s.AvailabilityZone,
                s.AvailabilityZoneId,
                s.CidrBlock,
                s.AvailableIpAddressCount ?? 0,
                s.MapPublicIpOnLaunch ?? false,
                s.DefaultForAz ?? false,
                s.State?.Value ?? string.Empty,
                ToDictionary(s.Tags))));
            next = response.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return result;
    }

    public async Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(Ec2SecurityGroupQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = TagFilters(query.Tags);
        AddFilter(filters, "vpc-id", query.VpcId);
        if (query.GroupNames is { Count: > 0 } names)
        {
            filters.Add(new Filter("group-name", [.. names]));
        }

        var result = new List<Ec2SecurityGroup>();
        string? next = null;
        do
        {
            var request = new DescribeSecurityGroupsRequest { NextToken = next };
            if (query.GroupIds is { Count: > 0 } ids)
            {
                request.GroupIds = [.. ids];
            }

            if (filters.Count > 0)
            {
                request.Filters = filters;
            }

            var response = await CallAsync(ct => Client.DescribeSecurityGroupsAsync(request, ct), cancellationToken);
            result.AddRange((response.SecurityGroups ?? []).Select(g => new Ec2SecurityGroup(g.GroupId, g.GroupName, g.Description, g.VpcId, ToDictionary(g.Tags))));
            next = response.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return result;
    }

    public async Task<IReadOnlyList<Ec2Vpc>> DescribeVpcsAsync(Ec2VpcQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = TagFilters(query.Tags);
        AddFilter(filters, "is-default", query.IsDefault is { } isDefault ? (isDefault ? "true" : "false") : null);
        var result = new List<Ec2Vpc>();
        string? next = null;
        do
        {
            var request = new DescribeVpcsRequest { NextToken = next };
            if (query.VpcIds is { Count: > 0 } ids)
            {
                request.VpcIds = [.. ids];
            }

            if (filters.Count > 0)
            {
                request.Filters = filters;
            }

            var response = await CallAsync(ct => Client.DescribeVpcsAsync(request, ct), cancellationToken);
            result.AddRange((response.Vpcs ?? []).Select(v => new Ec2Vpc(v.VpcId, v.CidrBlock, v.IsDefault ?? false, v.State?.Value ?? string.Empty, ToDictionary(v.Tags))));
            next = response.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return result;
    }

    /// <summary>Maps the SDK's exceptions onto ours so callers classify EC2 errors like EKS and IAM ones.</summary>
    internal static AwsApiException Translate(AmazonServiceException e)
    {
        var code = string.IsNullOrEmpty(e.ErrorCode) ? $"Http{(int)e.StatusCode}" : e.ErrorCode;
        return new AwsApiException("ec2", code, e.Message, e.StatusCode, e.RequestId, AwsErrorClassifier.Classify(code, e.StatusCode, e.Message), e);
    }

    private static List<Filter> TagFilters(IReadOnlyDictionary<string, string?>? tags)
    {
        var filters = new List<Filter>();
        foreach (var (key, value) in tags ?? new Dictionary<string, string?>())
        {
            filters.Add(value is null ? new Filter("tag-key", [key]) : new Filter("tag:" + key, [value]));
        }

        return filters;
    }

    private static void AddFilter(List<Filter> filters, string name, string? value)
    {
        if (value is not null)
        {
            filters.Add(new Filter(name, [value]));
        }
    }

    private static Dictionary<string, string> ToDictionary(List<Tag>? tags) =>
        (tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty, StringComparer.Ordinal);

    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var target = AwsScope.Current;
        var (_, current) = await credentials.GetAsync(target?.Role);
        var signingRegion = options.Ec2.SigningRegion ?? target?.Region ?? options.Region;
        // Only Describe* calls go through here (reads).
        await rateLimiters.AcquireAsync(target?.Role?.AccountId ?? options.AccountId ?? current.AccountId ?? "default", signingRegion, "ec2", options.Ec2, mutating: false, cancellationToken);
        try
        {
            return await call(cancellationToken);
        }
        catch (AmazonServiceException e)
        {
            throw Translate(e);
        }
        catch (AmazonClientException e)
        {
            throw new AwsApiException("ec2", "ConnectionFailure", e.Message, 0, null, AwsErrorKind.Transient, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsApiException("ec2", "ConnectionFailure", e.Message, 0, null, AwsErrorKind.Transient, e);
        }
    }

    /// <summary>The SDK client for the options: endpoint override with explicit signing region, standard retry mode.</summary>
    internal static AmazonEC2Client CreateClient(AwsOptions options, AwsCredentialSource credentials) => CreateClient(options, credentials.Credentials);

    private static AmazonEC2Client CreateClient(AwsOptions options, AWSCredentials credentials) =>
        new(credentials, SdkClientConfigs.For<AmazonEC2Config>(options, options.Ec2));
}
