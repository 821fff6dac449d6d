namespace EksOperator.Sandbox.Tests;

public sealed class ClosingHintTests
{
    private const string Kubeconfig = "/tmp/eks-operator-sandbox-x/kubeconfig";
    private static readonly Uri Aws = new("http://127.0.0.1:4566/");
    private static readonly ObjectName Platform = new("default", "platform");
    private static readonly ObjectName Demo = new("default", "demo");

    [Fact]
    public void With_the_samples_applied_it_names_the_platform_cluster_for_the_upgrade_and_the_delete()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig, Aws, OperatorRuns: true, [Demo, Platform], "config/samples"));

        Assert.Equal($"Try: kubectl --kubeconfig {Kubeconfig} get eks -A", lines[0]);
        Assert.Contains(lines, l => l.Contains($"kubectl --kubeconfig {Kubeconfig} edit ekc platform", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"kubectl --kubeconfig {Kubeconfig} delete ekc platform", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("aws --endpoint-url http://127.0.0.1:4566/ eks list-clusters", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("apply", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_samples_it_tells_to_apply_them_and_names_no_cluster()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig, Aws, OperatorRuns: true, [], "config/samples"));

        Assert.Equal($"Try: kubectl --kubeconfig {Kubeconfig} apply -f config/samples", lines[0]);
        Assert.Contains(lines, l => l.Contains($"kubectl --kubeconfig {Kubeconfig} get eks", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("platform", StringComparison.Ordinal) || l.Contains("ekc", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cluster_other_than_platform_is_named_with_its_namespace()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig, Aws, OperatorRuns: true, [new ObjectName("clusters", "prod")], "config/samples"));

        Assert.Contains(lines, l => l.Contains($"kubectl --kubeconfig {Kubeconfig} -n clusters edit ekc prod", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"kubectl --kubeconfig {Kubeconfig} -n clusters delete ekc prod", StringComparison.Ordinal));
    }

    [Fact]
    public void Kubernetes_alone_offers_no_AWS_command_and_says_nothing_converges()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig, AwsEndpoint: null, OperatorRuns: false, [], "config/samples"));

        Assert.Equal($"Try: kubectl --kubeconfig {Kubeconfig} apply -f config/samples", lines[0]);
        Assert.Contains(lines, l => l.Contains("no operator runs", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("aws ", StringComparison.Ordinal));
    }

    [Fact]
    public void Objects_without_an_operator_are_described_not_upgraded()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig, Aws, OperatorRuns: false, [Platform], "config/samples"));

        Assert.Contains(lines, l => l.Contains("describe ekc platform", StringComparison.Ordinal) && l.Contains("no operator runs", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("edit", StringComparison.Ordinal) || l.Contains("delete", StringComparison.Ordinal));
    }

    [Fact]
    public void AWS_alone_offers_only_the_AWS_CLI()
    {
        var lines = ClosingHint.Lines(new SandboxState(Kubeconfig: null, Aws, OperatorRuns: false, [], "config/samples"));

        Assert.Equal(["Try: aws --endpoint-url http://127.0.0.1:4566/ eks list-clusters   # with the AWS_* variables above"], lines);
    }

    [Theory]
    [InlineData("/tmp/a/kubeconfig", "/tmp/a/kubeconfig")]
    [InlineData("/tmp/with space/kubeconfig", "'/tmp/with space/kubeconfig'")]
    [InlineData("/tmp/it's/kubeconfig", @"'/tmp/it'\''s/kubeconfig'")]
    public void Paths_are_quoted_for_the_shell_when_they_need_it(string path, string expected)
    {
        Assert.Equal(expected, Shell.Quote(path));
        var lines = ClosingHint.Lines(new SandboxState(path, null, OperatorRuns: false, [], "config/samples"));
        Assert.StartsWith($"Try: kubectl --kubeconfig {expected} apply", lines[0], StringComparison.Ordinal);
    }
}
