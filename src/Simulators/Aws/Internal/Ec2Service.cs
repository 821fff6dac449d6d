using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>EC2 (ec2 query protocol, XML) for DescribeSubnets, DescribeSecurityGroups and DescribeVpcs.</summary>
internal sealed partial class Ec2Service(World world)
{
    private const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static readonly HashSet<string> Operations = new(StringComparer.Ordinal) { "DescribeSubnets", "DescribeSecurityGroups", "DescribeVpcs" };

    public string Handle(string action, IReadOnlyDictionary<string, string> p, string requestId)
    {
        lock (world.Gate)
        {
            world.Tick();
            if (!Operations.Contains(action))
            {
                throw AwsErrorException.Query(400, "InvalidAction", $"The action {action} is not valid for this web service.");
            }

            if (p.TryGetValue("DryRun", out var dryRun) && string.Equals(dryRun, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrorException.Query(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
            }

            var filters = ParseFilters(p);
            var body = action switch
            {
                "DescribeSubnets" => DescribeSubnets(p, filters),
                "DescribeSecurityGroups" => DescribeSecurityGroups(p, filters),
                _ => DescribeVpcs(p, filters),
            };
            return $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{Namespace}\"><requestId>{requestId}</requestId>{body}</{action}Response>";
        }
    }

    public static string ErrorXml(AwsErrorException e, string requestId) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{QueryXml.Esc(e.Code)}</Code><Message>{QueryXml.Esc(e.Message)}</Message></Error></Errors><RequestID>{requestId}</RequestID></Response>";

    private string DescribeSubnets(IReadOnlyDictionary<string, string> p, List<Filter> filters)
    {
        var ids = QueryXml.List(p, "SubnetId");
        foreach (var id in ids)
        {
            if (!SubnetIdPattern().IsMatch(id))
            {
                throw AwsErrorException.Query(400, "InvalidSubnetID.Malformed", $"Invalid id: \"{id}\"");
            }

            if (!world.Subnets.ContainsKey(id))
            {
                throw AwsErrorException.Query(400, "InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist");
            }
        }

        var matches = world.Subnets.Values
            .Where(s => ids.Count == 0 || ids.Contains(s.Id))
            .Where(s => filters.TrueForAll(f => f.Name switch
            {
                "subnet-id" => f.Matches(s.Id),
                "vpc-id" => f.Matches(s.VpcId),
                "availability-zone" or "availabilityZone" => f.Matches(s.AvailabilityZone),
                "availability-zone-id" or "availabilityZoneId" => f.Matches(s.AvailabilityZoneId),
                "cidr-block" or "cidr" or "cidrBlock" => f.Matches(s.CidrBlock),
                "default-for-az" or "defaultForAz" => f.Matches(Lower(s.DefaultForAz)),
                "map-public-ip-on-launch" => f.Matches(Lower(s.MapPublicIpOnLaunch)),
                "state" => f.Matches("available"),
                "owner-id" => f.Matches(world.Account),
                "subnet-arn" => f.Matches(SubnetArn(s)),
                _ => MatchTagFilter(f, s.Tags, "Subnets"),
            }))
            .ToList();
        var (page, next) = Page(matches, p);
        var sb = new StringBuilder("<subnetSet>");
        foreach (var s in page)
        {
            sb.Append("<item>")
                .Element("subnetId", s.Id)
                .Element("subnetArn", SubnetArn(s))
                .Element("state", "available")
                .Element("ownerId", world.Account)
                .Element("vpcId", s.VpcId)
                .Element("cidrBlock", s.CidrBlock)
                .Append("<ipv6CidrBlockAssociationSet/>")
                .Element("availableIpAddressCount", s.AvailableIpAddressCount)
                .Element("availabilityZone", s.AvailabilityZone)
                .Element("availabilityZoneId", s.AvailabilityZoneId)
                .Element("defaultForAz", s.DefaultForAz)
                .Element("mapPublicIpOnLaunch", s.MapPublicIpOnLaunch)
                .Element("mapCustomerOwnedIpOnLaunch", false)
                .Element("assignIpv6AddressOnCreation", false)
                .Element("enableDns64", false)
                .Element("ipv6Native", false)
                .Append("<privateDnsNameOptionsOnLaunch>")
                .Element("hostnameType", "ip-name")
                .Element("enableResourceNameDnsARecord", false)
                .Element("enableResourceNameDnsAAAARecord", false)
                .Append("</privateDnsNameOptionsOnLaunch>");
            AppendTags(sb, s.Tags);
            sb.Append("</item>");
        }

        sb.Append("</subnetSet>").Element("nextToken", next);
        return sb.ToString();
    }

    private string DescribeVpcs(IReadOnlyDictionary<string, string> p, List<Filter> filters)
    {
        var ids = QueryXml.List(p, "VpcId");
        foreach (var id in ids)
        {
            if (!VpcIdPattern().IsMatch(id))
            {
                throw AwsErrorException.Query(400, "InvalidVpcID.Malformed", $"Invalid id: \"{id}\"");
            }

            if (!world.Vpcs.ContainsKey(id))
            {
                throw AwsErrorException.Query(400, "InvalidVpcID.NotFound", $"The vpc ID '{id}' does not exist");
            }
        }

        var matches = world.Vpcs.Values
            .Where(v => ids.Count == 0 || ids.Contains(v.Id))
            .Where(v => filters.TrueForAll(f => f.Name switch
            {
                "vpc-id" => f.Matches(v.Id),
                "cidr" or "cidr-block-association.cidr-block" => f.Matches(v.CidrBlock),
                "is-default" or "isDefault" => f.Matches(Lower(v.IsDefault)),
                "state" => f.Matches("available"),
                "owner-id" => f.Matches(world.Account),
                "dhcp-options-id" => f.Matches(v.DhcpOptionsId),
                _ => MatchTagFilter(f, v.Tags, "Vpcs"),
            }))
            .ToList();
        var (page, next) = Page(matches, p);
        var sb = new StringBuilder("<vpcSet>");
        foreach (var v in page)
        {
            sb.Append("<item>")
                .Element("vpcId", v.Id)
                .Element("ownerId", world.Account)
                .Element("state", "available")
                .Element("cidrBlock", v.CidrBlock)
                .Append("<cidrBlockAssociationSet><item>")
                .Element("associationId", v.AssociationId)
                .Element("cidrBlock", v.CidrBlock)
                .Append("<cidrBlockState>").Element("state", "associated").Append("</cidrBlockState>")
                .Append("</item></cidrBlockAssociationSet>")
                .Element("dhcpOptionsId", v.DhcpOptionsId)
                .Element("instanceTenancy", "default")
                .Element("isDefault", v.IsDefault)
                .Append("<blockPublicAccessStates>").Element("internetGatewayBlockMode", "off").Append("</blockPublicAccessStates>");
            AppendTags(sb, v.Tags);
            sb.Append("</item>");
        }

        sb.Append("</vpcSet>").Element("nextToken", next);
        return sb.ToString();
    }

    private string DescribeSecurityGroups(IReadOnlyDictionary<string, string> p, List<Filter> filters)
    {
        var ids = QueryXml.List(p, "GroupId");
        var names = QueryXml.List(p, "GroupName");
        foreach (var id in ids)
        {
            if (!GroupIdPattern().IsMatch(id))
            {
                throw AwsErrorException.Query(400, "InvalidGroupId.Malformed", $"Invalid id: \"{id}\" (expecting \"sg-...\")");
            }

            if (!world.SecurityGroups.ContainsKey(id))
            {
                throw AwsErrorException.Query(400, "InvalidGroup.NotFound", $"The security group '{id}' does not exist");
            }
        }

        foreach (var name in names)
        {
            if (!world.SecurityGroups.Values.Any(g => g.Name == name && world.Vpcs[g.VpcId].IsDefault))
            {
                throw AwsErrorException.Query(400, "InvalidGroup.NotFound", $"The security group '{name}' does not exist in default VPC '{world.DefaultNetwork.VpcId}'");
            }
        }

        var matches = world.SecurityGroups.Values
            .Where(g => ids.Count == 0 || ids.Contains(g.Id))
            .Where(g => names.Count == 0 || names.Contains(g.Name))
            .Where(g => filters.TrueForAll(f => f.Name switch
            {
                "group-id" => f.Matches(g.Id),
                "group-name" => f.Matches(g.Name),
                "vpc-id" => f.Matches(g.VpcId),
                "description" => f.Matches(g.Description),
                "owner-id" => f.Matches(world.Account),
                _ => MatchTagFilter(f, g.Tags, "SecurityGroups"),
            }))
            .ToList();
        var (page, next) = Page(matches, p);
        var sb = new StringBuilder("<securityGroupInfo>");
        foreach (var g in page)
        {
            sb.Append("<item>")
                .Element("ownerId", world.Account)
                .Element("groupId", g.Id)
                .Element("groupName", g.Name)
                .Element("groupDescription", g.Description)
                .Element("vpcId", g.VpcId)
                .Element("securityGroupArn", $"arn:aws:ec2:{world.Region}:{world.Account}:security-group/{g.Id}")
                .Append("<ipPermissions>");
            if (g.IngressFromSelf)
            {
                sb.Append("<item>").Element("ipProtocol", "-1")
                    .Append("<groups><item>").Element("userId", world.Account).Element("groupId", g.Id).Append("</item></groups>")
                    .Append("<ipRanges/><ipv6Ranges/><prefixListIds/></item>");
            }

            sb.Append("</ipPermissions><ipPermissionsEgress><item>").Element("ipProtocol", "-1")
                .Append("<groups/><ipRanges><item>").Element("cidrIp", "0.0.0.0/0").Append("</item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress>");
            AppendTags(sb, g.Tags);
            sb.Append("</item>");
        }

        sb.Append("</securityGroupInfo>").Element("nextToken", next);
        return sb.ToString();
    }

    private string SubnetArn(Subnet s) => $"arn:aws:ec2:{world.Region}:{world.Account}:subnet/{s.Id}";

    private static bool MatchTagFilter(Filter f, Dictionary<string, string> tags, string what)
    {
        if (f.Name.StartsWith("tag:", StringComparison.Ordinal))
        {
            return tags.TryGetValue(f.Name[4..], out var value) && f.Matches(value);
        }

        if (f.Name == "tag-key")
        {
            return tags.Keys.Any(f.Matches);
        }

        if (f.Name == "tag-value")
        {
            return tags.Values.Any(f.Matches);
        }

        throw AwsErrorException.Query(400, "InvalidParameterValue", $"The filter '{f.Name}' is invalid for Describe{what}");
    }

    private static void AppendTags(StringBuilder sb, Dictionary<string, string> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        sb.Append("<tagSet>");
        foreach (var (k, v) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            sb.Append("<item>").Element("key", k).Element("value", v).Append("</item>");
        }

        sb.Append("</tagSet>");
    }

    private static List<Filter> ParseFilters(IReadOnlyDictionary<string, string> p)
    {
        var filters = new List<Filter>();
        for (var i = 1; p.TryGetValue($"Filter.{i}.Name", out var name); i++)
        {
            var values = QueryXml.List(p, $"Filter.{i}.Value");
            if (values.Count == 0)
            {
                throw AwsErrorException.Query(400, "InvalidParameterValue", $"The filter '{name}' requires at least one value");
            }

            filters.Add(new Filter(name, [.. values.Select(WildcardToRegex)]));
        }

        return filters;
    }

    private static Regex WildcardToRegex(string value) =>
        new("^" + Regex.Escape(value).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static (List<T> Page, string? Next) Page<T>(List<T> all, IReadOnlyDictionary<string, string> p)
    {
        var max = all.Count;
        if (p.TryGetValue("MaxResults", out var mr) && (!int.TryParse(mr, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 5 or > 1000))
        {
            throw AwsErrorException.Query(400, "InvalidParameterValue", $"Value ( {mr} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        }

        var start = 0;
        if (p.TryGetValue("NextToken", out var token) && token.Length > 0 && (DecodeToken(token) is not { } decoded || (start = decoded) > all.Count))
        {
            throw AwsErrorException.Query(400, "InvalidPaginationToken", $"Invalid pagination token: {token}");
        }

        var page = all.Skip(start).Take(max).ToList();
        var next = start + max < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + max).ToString(CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }

    private static int? DecodeToken(string token)
    {
        try
        {
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Lower(bool value) => value ? "true" : "false";

    private sealed record Filter(string Name, List<Regex> Values)
    {
        public bool Matches(string candidate) => Values.Exists(v => v.IsMatch(candidate));
    }

    [GeneratedRegex("^subnet-[0-9a-f]{8,17}$")]
    private static partial Regex SubnetIdPattern();

    [GeneratedRegex("^vpc-[0-9a-f]{8,17}$")]
    private static partial Regex VpcIdPattern();

    [GeneratedRegex("^sg-[0-9a-f]{8,17}$")]
    private static partial Regex GroupIdPattern();
}
