using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// spec.iamOidcProvider: the IRSA provider of the cluster's issuer is made once the cluster is ACTIVE, reported in
/// status, deleted when turned off or after the cluster, and never deleted when it is not the operator's.
/// </summary>
public sealed class OidcProviderTests
{
    private const string Arn = $"arn:aws:iam::{FakeEks.Account}:oidc-provider/oidc.eks.example/id/c1";
    private readonly Harness _h = new();

    [Fact]
    public async Task An_active_cluster_gets_its_provider_reported_in_status_with_an_event()
    {
        var cluster = await _h.ActiveClusterAsync(configure: c => c.Spec.IamOidcProvider = true);

        Assert.Equal(Arn, cluster.Status!.OidcProviderArn);
        Assert.True(cluster.Status.OidcProviderCreated);
        Assert.True(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.Equal(cluster.Metadata.Uid, _h.Oidc.Providers[Arn][OwnershipTags.OwnerUid]);
    }

    [Fact]
    public async Task Without_the_setting_no_provider_is_made_or_looked_for()
    {
        var cluster = await _h.ActiveClusterAsync();

        Assert.Null(cluster.Status!.OidcProviderArn);
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Oidc.Calls);
    }

    [Fact]
    public async Task Turned_on_later_the_provider_is_made_and_an_event_says_so()
    {
        await _h.ActiveClusterAsync();

        _h.Edit<EksCluster>("c1", c => c.Spec.IamOidcProvider = true);
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(Arn, _h.Get<EksCluster>("c1").Status!.OidcProviderArn);
        Assert.Contains(_h.Kube.Events, e => e.Reason == "OidcProviderCreated" && e.Message.Contains("https://oidc.eks.example/id/c1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Turned_off_the_owned_provider_is_deleted_and_status_cleared()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.IamOidcProvider = true);

        _h.Edit<EksCluster>("c1", c => c.Spec.IamOidcProvider = false);
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.Null(_h.Get<EksCluster>("c1").Status!.OidcProviderArn);
        Assert.Null(_h.Get<EksCluster>("c1").Status!.OidcProviderCreated);
        Assert.Contains(_h.Kube.Events, e => e.Reason == "OidcProviderDeleted");
    }

    [Fact]
    public async Task A_provider_someone_else_made_is_used_and_survives_the_setting_turned_off_and_the_cluster_deleted()
    {
        _h.Oidc.Providers[Arn] = new Dictionary<string, string>(StringComparer.Ordinal) { ["alpha.eksctl.io/cluster-name"] = "c1" };

        var cluster = await _h.ActiveClusterAsync(configure: c => c.Spec.IamOidcProvider = true);
        Assert.Equal(Arn, cluster.Status!.OidcProviderArn);
        Assert.Null(cluster.Status.OidcProviderCreated);

        _h.Edit<EksCluster>("c1", c => c.Spec.IamOidcProvider = false);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.True(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.Null(_h.Get<EksCluster>("c1").Status!.OidcProviderArn);

        _h.Edit<EksCluster>("c1", c => c.Spec.IamOidcProvider = true);
        await _h.ReconcileAsync<EksCluster>("c1");
        await DeleteClusterAsync();
        Assert.True(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.DoesNotContain(_h.Kube.Events, e => e.Reason == "OidcProviderDeleted");
    }

    [Fact]
    public async Task The_provider_is_deleted_only_after_the_cluster_is_gone()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.IamOidcProvider = true);

        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Contains("DeleteCluster c1", _h.Eks.Writes);
        Assert.True(_h.Oidc.Providers.ContainsKey(Arn), "the provider outlives a cluster that is still being deleted");

        _h.Eks.FinishDeleting("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.False(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.False(_h.Exists<EksCluster>("c1"));
    }

    [Fact]
    public async Task A_provider_created_by_a_pass_whose_status_was_lost_is_still_deleted_with_the_cluster()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.IamOidcProvider = true);
        _h.SetStatus<EksCluster>("c1", c =>
        {
            c.Status!.OidcProviderArn = null;
            c.Status.OidcProviderCreated = null;
        });

        await DeleteClusterAsync();

        Assert.False(_h.Oidc.Providers.ContainsKey(Arn));
    }

    [Fact]
    public async Task Retain_leaves_the_provider_with_the_cluster()
    {
        await _h.ActiveClusterAsync(configure: c =>
        {
            c.Spec.IamOidcProvider = true;
            c.Spec.DeletionPolicy = DeletionPolicy.Retain;
        });

        await _h.DeleteAsync<EksCluster>("c1");
        await _h.SettleAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.True(_h.Oidc.Providers.ContainsKey(Arn));
        Assert.DoesNotContain(_h.Oidc.Calls, c => c.StartsWith("Delete", StringComparison.Ordinal));
    }

    private async Task DeleteClusterAsync()
    {
        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.FinishDeleting("c1");
        await _h.SettleAsync<EksCluster>("c1");
        Assert.False(_h.Exists<EksCluster>("c1"));
    }
}
