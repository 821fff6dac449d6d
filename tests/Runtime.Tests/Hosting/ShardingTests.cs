using Microsoft.Extensions.Options;

namespace EksOperator.Runtime.Tests.Hosting;

/// <summary>Which kinds a shard filters and with which selector, the Lease each shard elects on, and the options' rules.</summary>
public sealed class ShardingTests
{
    private static readonly ShardFilter ShardA = new("example.com/shard", "a", ["example.com"]);
    private static readonly ShardFilter Default = new("example.com/shard", ShardingOptions.DefaultShard, ["example.com"]);
    private static readonly ResourceType Widgets = new("example.com", "v1", "widgets", "Widget");
    private static readonly ResourceType Identities = new("example.com", "v1", "identities", "Identity", Namespaced: false);
    private static readonly ResourceType Secrets = new("", "v1", "secrets", "Secret");
    private static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", Namespaced: false);

    [Fact]
    public void Only_namespaced_kinds_of_the_sharded_groups_are_filtered()
    {
        Assert.Equal("example.com/shard=a", ShardFilter.SelectorFor(Widgets, null, ShardA));
        Assert.Equal("!example.com/shard", ShardFilter.SelectorFor(Widgets, null, Default));
        Assert.Null(ShardFilter.SelectorFor(Identities, null, ShardA));
        Assert.Null(ShardFilter.SelectorFor(Secrets, null, ShardA));
        Assert.Null(ShardFilter.SelectorFor(Namespaces, null, Default));
        Assert.Null(ShardFilter.SelectorFor(Widgets, null, null));
    }

    [Fact]
    public void The_runtime_wide_selector_applies_to_every_kind_and_joins_the_shard_selector()
    {
        Assert.Equal("team=x,example.com/shard=a", ShardFilter.SelectorFor(Widgets, "team=x", ShardA));
        Assert.Equal("team=x", ShardFilter.SelectorFor(Secrets, "team=x", ShardA));
        Assert.Equal("team=x", ShardFilter.SelectorFor(Widgets, "team=x", null));
    }

    [Fact]
    public void Each_shard_elects_on_its_own_Lease_and_the_default_shard_keeps_the_configured_name()
    {
        Assert.Equal("op-leader", ShardFilter.LeaseName("op-leader", ShardingOptions.DefaultShard));
        Assert.Equal("op-leader-a", ShardFilter.LeaseName("op-leader", "a"));
    }

    [Fact]
    public void Sharding_is_off_without_a_label_key_and_an_empty_shard_is_the_default_shard()
    {
        Assert.Null(ShardFilter.From(new ShardingOptions { Shard = "a" }));
        var options = new ShardingOptions { LabelKey = "example.com/shard", Shard = "" };
        options.Groups.Add("example.com");
        Assert.Equal(Default, ShardFilter.From(options)! with { Groups = Default.Groups });
        Assert.Equal(ShardingOptions.DefaultShard, options.Current);
    }

    [Fact]
    public void A_label_key_needs_groups_and_a_shard_needs_a_label_key()
    {
        var options = new ControllerRuntimeOptions();
        options.Sharding.LabelKey = "example.com/shard";
        var result = new ControllerRuntimeOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Sharding: Groups", result.FailureMessage, StringComparison.Ordinal);

        var orphan = new ControllerRuntimeOptions();
        orphan.Sharding.Shard = "a";
        Assert.Contains("Sharding: Shard needs LabelKey", new ControllerRuntimeOptionsValidator().Validate(null, orphan).FailureMessage, StringComparison.Ordinal);

        var valid = new ControllerRuntimeOptions();
        valid.Sharding.LabelKey = "example.com/shard";
        valid.Sharding.Groups.Add("example.com");
        valid.Sharding.Shard = "a";
        Assert.Equal(ValidateOptionsResult.Success, new ControllerRuntimeOptionsValidator().Validate(null, valid));
    }
}
