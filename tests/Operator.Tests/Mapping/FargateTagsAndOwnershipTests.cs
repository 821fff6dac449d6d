using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Operator.Tests.Mapping;

/// <summary>Fargate requests and spec hashing, tag diffs, ownership tags and Kubernetes minors.</summary>
public sealed class FargateTagsAndOwnershipTests
{
    private static readonly Owner Owner = new("uid-1", "ns", "fp1");

    private static FargateProfileSpec Spec() => new()
    {
        ClusterRef = new ClusterReference { Name = "c1" },
        SubnetIds = ["subnet-b", "subnet-a"],
        Selectors = [new FargateSelector { Namespace = "apps", Labels = new Dictionary<string, string> { ["tier"] = "web", ["app"] = "x" } }, new FargateSelector { Namespace = "jobs" }],
        Tags = new Dictionary<string, string> { ["team"] = "t" },
    };

    [Fact]
    public void The_create_request_has_one_token_per_spec_version()
    {
        var r = FargateMapping.ToCreateRequest("c1", "fp1-abc", Spec(), "arn:role", Owner, "abcd1234");

        Assert.Equal(("c1", "fp1-abc", "arn:role", "fargate-abcd1234-uid-1"), (r.ClusterName, r.FargateProfileName, r.PodExecutionRoleArn, r.ClientRequestToken));
        Assert.Equal(["subnet-b", "subnet-a"], r.Subnets);
        Assert.Equal(["apps", "jobs"], r.Selectors!.Select(s => s.Namespace));
        Assert.Equal("web", r.Selectors![0].Labels!["tier"]);
        Assert.Null(r.Selectors[1].Labels);
        Assert.Equal("t", r.Tags!["team"]);
        Assert.Equal("uid-1", r.Tags[OwnershipTags.OwnerUid]);
    }

    [Fact]
    public void The_spec_hash_is_short_stable_and_blind_to_order_where_EKS_is()
    {
        var hash = FargateMapping.SpecHash(Spec(), "arn:role");
        Assert.Matches("^[0-9a-f]{8}$", hash);

        var reordered = Spec();
        reordered.SubnetIds = ["subnet-a", "subnet-b"];
        reordered.Selectors[0].Labels = new Dictionary<string, string> { ["app"] = "x", ["tier"] = "web" };
        reordered.Tags = new Dictionary<string, string> { ["other"] = "tags are not hashed" };
        Assert.Equal(hash, FargateMapping.SpecHash(reordered, "arn:role"));
    }

    public static TheoryData<string> Changes => ["role", "subnet", "selector namespace", "label value", "label key", "selector added"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Everything_EKS_cannot_change_changes_the_hash(string change)
    {
        var spec = Spec();
        var role = "arn:role";
        switch (change)
        {
            case "role": role = "arn:other"; break;
            case "subnet": spec.SubnetIds = ["subnet-a", "subnet-c"]; break;
            case "selector namespace": spec.Selectors[1].Namespace = "batch"; break;
            case "label value": spec.Selectors[0].Labels!["tier"] = "api"; break;
            case "label key": spec.Selectors[0].Labels = new Dictionary<string, string> { ["tier"] = "web", ["ap"] = "x" }; break;
            case "selector added": spec.Selectors.Add(new FargateSelector { Namespace = "more" }); break;
        }

        Assert.NotEqual(FargateMapping.SpecHash(Spec(), "arn:role"), FargateMapping.SpecHash(spec, role));
    }

    [Fact]
    public void The_hash_is_pinned()
    {
        // Pinned (computed independently: SHA-256 of the canonical text, first 8 hex digits): profiles are named by it,
        // so a change of the hash would replace every profile.
        Assert.Equal("cbe5cfdf", FargateMapping.SpecHash(new FargateProfileSpec(), ""));
        Assert.Equal("5e60c179", FargateMapping.SpecHash(Spec(), "arn:role"));
    }

    public static TheoryData<string, string, string, string> TagCases => new()
    {
        // desired, observed ("k=v,..."; "-" for none), expected set, expected removed
        { "a=1", "a=1", "", "" },
        { "a=1", "-", "a=1", "" },
        { "a=2", "a=1", "a=2", "" },
        { "a=1", "a=1,b=2,aws:x=3", "", "b" },
        { "", "z=1,b=2", "", "b,z" },
        { "a=1,b=2", "b=3,c=4", "a=1,b=2", "c" },
    };

    [Theory]
    [MemberData(nameof(TagCases))]
    public void Tag_diffs_leave_AWS_tags_alone(string desired, string observed, string toSet, string toRemove)
    {
        static Dictionary<string, string> Parse(string text) =>
            text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        var diff = TagDiff.Between(Parse(desired), observed == "-" ? null : Parse(observed));

        Assert.Equal(toSet, string.Join(",", diff.ToSet.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")));
        Assert.Equal(toRemove, string.Join(",", diff.ToRemove));
        Assert.Equal(toSet == "" && toRemove == "", diff.IsEmpty);
    }

    [Fact]
    public void Ownership_tags_win_over_user_tags_and_tokens_are_stable_per_object()
    {
        var tags = Owner.TagsWith(new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "forged", ["team"] = "x" });

        Assert.Equal("uid-1", tags[OwnershipTags.OwnerUid]);
        Assert.Equal(("ns", "fp1", "eks-operator", "x"), (tags[OwnershipTags.Namespace], tags[OwnershipTags.Name], tags[OwnershipTags.ManagedBy], tags["team"]));
        Assert.Equal(4, Owner.TagsWith(null).Count);
        Assert.Equal("nodegroup-uid-1", Owner.CreateToken("nodegroup"));
        Assert.Equal("2026-05-01T10:00:07Z", Owner.ReleasedTag(new DateTimeOffset(2026, 5, 1, 12, 0, 7, TimeSpan.FromHours(2)))[OwnershipTags.Released]);
    }

    public static TheoryData<string, string, bool, string> OwnershipCases => new()
    {
        // tags ("uid/ns/name[/released]" or "-"), who is live, whether live-check is given, expected
        { "-", "", true, "Unowned" },
        { "uid-1/ns/fp1", "", true, "Ours" },
        { "uid-2/ns/other", "uid-2", true, "OtherObject" },
        { "uid-2/ns/other", "", false, "OtherObject" },
        { "uid-2/ns/fp1", "", true, "Reclaimable" },
        { "uid-2/other-ns/fp1", "", true, "OtherObject" },
        { "uid-2/ns/other/released", "", true, "Reclaimable" },
        { "uid-2/ns/fp1", "uid-2", true, "OtherObject" },
    };

    [Theory]
    [MemberData(nameof(OwnershipCases))]
    public void Ownership_is_read_from_the_tags(string tags, string live, bool checkLive, string expected)
    {
        Dictionary<string, string>? parsed = null;
        if (tags != "-")
        {
            var parts = tags.Split('/');
            parsed = new Dictionary<string, string> { [OwnershipTags.OwnerUid] = parts[0], [OwnershipTags.Namespace] = parts[1], [OwnershipTags.Name] = parts[2] };
            if (parts.Length > 3) parsed[OwnershipTags.Released] = "2026-01-01T00:00:00Z";
        }

        var ownership = OwnershipCheck.Of(parsed, Owner, checkLive ? uid => uid == live : null);

        Assert.Equal(expected, ownership.ToString());
        Assert.Equal(expected == "Ours", OwnershipCheck.IsOwnedBy(parsed, "uid-1"));
    }

    [Fact]
    public void Owners_are_described_for_messages()
    {
        Assert.Equal("ns/name", OwnershipCheck.Describe(new Dictionary<string, string> { [OwnershipTags.Namespace] = "ns", [OwnershipTags.Name] = "name", [OwnershipTags.OwnerUid] = "u" }));
        Assert.Equal("u", OwnershipCheck.Describe(new Dictionary<string, string> { [OwnershipTags.Name] = "name", [OwnershipTags.OwnerUid] = "u" }));
        Assert.Equal("u", OwnershipCheck.Describe(new Dictionary<string, string> { [OwnershipTags.Namespace] = "ns", [OwnershipTags.OwnerUid] = "u" }));
        Assert.Equal("unknown", OwnershipCheck.Describe(null));
        Assert.Equal("unknown", OwnershipCheck.Describe(new Dictionary<string, string>()));
        Assert.False(OwnershipCheck.IsOwnedBy(null, "uid-1"));
        Assert.False(Adoption.None.Requested);
        Assert.Null(Adoption.None.OwnerIsLive);
        Assert.False(OwnershipCheck.IsOwnedBy(new Dictionary<string, string> { ["x"] = "uid-1" }, "uid-1"));
    }

    [Theory]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("1.33", "1.33", 0)]
    [InlineData("1.35", "1.34", 1)]
    public void Minors_compare_as_numbers(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(Minor.Compare(a, b)));
        Assert.Equal(Minor.Of(a) + 1, Minor.Of(Minor.Next(a)));
        Assert.Equal($"1.{Minor.Of(a) - 1}", Minor.Previous(a));
        Assert.Equal(33, Minor.Of("1.33"));
    }
}
