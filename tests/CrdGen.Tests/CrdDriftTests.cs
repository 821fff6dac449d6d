using EksOperator.CrdGen;

namespace CrdGen.Tests;

public sealed class CrdDriftTests
{
    [Fact]
    public void Committed_crds_equal_a_fresh_generation_in_every_output_folder()
    {
        var generated = CrdGenerator.GenerateAll();
        Assert.Equal(8, generated.Count);
        foreach (var folder in CrdGenerator.OutputFolders)
        {
            foreach (var (fileName, yaml) in generated)
            {
                var path = Repo.PathOf(Path.Combine(folder, fileName));
                Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh crds");
                Assert.True(File.ReadAllText(path) == yaml, $"{path} is stale: run ./build.sh crds and commit the result");
            }

            Assert.Equal(generated.Select(g => g.FileName).Order(StringComparer.Ordinal),
                Repo.CrdFiles(folder).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void Chart_crds_are_identical_to_config_crds()
    {
        foreach (var file in Repo.CrdFiles("config/crd"))
        {
            var chartCopy = Repo.PathOf(Path.Combine("charts/eks-operator/crds", Path.GetFileName(file)));
            Assert.Equal(File.ReadAllText(file), File.ReadAllText(chartCopy));
        }
    }

    [Fact]
    public void Chart_copies_equal_their_sources()
    {
        var copies = ChartCopies.GenerateAll(Repo.Root);
        Assert.Contains(copies, c => c.Target == "charts/eks-operator/argocd/health.lua");
        foreach (var (target, text) in copies)
        {
            var path = Repo.PathOf(target);
            Assert.True(File.Exists(path) && File.ReadAllText(path) == text, $"{path} is stale: run ./build.sh crds and commit the result");
        }
    }
}
