namespace EksOperator.Sandbox.Tests;

public sealed class SandboxOptionsTests
{
    [Fact]
    public void Without_kubeconfig_the_run_gets_its_own_file_which_goes_on_exit()
    {
        Assert.Null(SandboxOptions.Parse([]).Kubeconfig);

        string first, second;
        using (var a = KubeconfigFile.For(null))
        using (var b = KubeconfigFile.For(null))
        {
            (first, second) = (a.Path, b.Path);
            Assert.NotEqual(first, second);
            Assert.True(a.Removed);
            File.WriteAllText(first, "kubeconfig");
            Assert.True(Directory.Exists(Path.GetDirectoryName(second)));
        }

        Assert.False(File.Exists(first));
        Assert.False(Directory.Exists(Path.GetDirectoryName(first)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(second)));
    }

    [Fact]
    public void A_named_kubeconfig_stays()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("eksop-sandbox-tests-").FullName, "kubeconfig");
        var options = SandboxOptions.Parse(["--kubeconfig", path]);
        Assert.Equal(path, options.Kubeconfig);

        using (var file = KubeconfigFile.For(options.Kubeconfig))
        {
            Assert.False(file.Removed);
            File.WriteAllText(file.Path, "kubeconfig");
        }

        Assert.True(File.Exists(path));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Accounts_default_to_one_and_take_a_count()
    {
        Assert.Equal(1, SandboxOptions.Parse([]).Accounts);
        Assert.Equal(3, SandboxOptions.Parse(["--accounts", "3"]).Accounts);
        Assert.Contains("--accounts N", SandboxOptions.Usage, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(["--accounts", "0"]));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(["--accounts", "two"]));
    }
}
