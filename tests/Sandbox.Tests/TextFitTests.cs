namespace EksOperator.Sandbox.Tests;

public sealed class TextFitTests
{
    [Theory]
    [InlineData("", 10)]
    [InlineData("Ready: Available", 16)]
    [InlineData("Ready: Available", 90)]
    public void Text_that_fits_is_left_alone(string text, int width) =>
        Assert.Equal(text, TextFit.Shorten(text, width));

    [Theory]
    [InlineData("Reconciling: Creating Waiting for the control plane to become ACTIVE", 40, "Reconciling: Creating Waiting for the…")]
    [InlineData("Reconciling: Creating Waiting for the control plane", 36, "Reconciling: Creating Waiting for…")]
    [InlineData("Stalled: InvalidSpec version 1.99, offered: 1.31 1.32", 30, "Stalled: InvalidSpec version…")]
    [InlineData("one two", 6, "one…")]
    public void Longer_text_ends_at_a_word_boundary_with_an_ellipsis(string text, int width, string expected)
    {
        var shortened = TextFit.Shorten(text, width);
        Assert.Equal(expected, shortened);
        Assert.True(shortened.Length <= width, $"{shortened.Length} > {width}");
    }

    [Fact]
    public void Only_a_first_word_longer_than_the_width_is_cut_inside()
    {
        Assert.Equal("arn:aws:iam::1234…", TextFit.Shorten("arn:aws:iam::123456789012:role/x is missing", 18));
    }

    [Fact]
    public void No_word_of_a_long_message_is_cut_at_any_width()
    {
        const string message = "Reconciling: UpgradingControlPlane Upgrading the control plane 1.32 -> 1.33 (target 1.34) (EKS update 30866222-aaaa in progress)";
        var words = message.Split(' ');
        for (var width = 14; width < message.Length; width++)
        {
            var shortened = TextFit.Shorten(message, width);
            Assert.True(shortened.Length <= width, $"width {width}: {shortened}");
            Assert.EndsWith(TextFit.Ellipsis, shortened, StringComparison.Ordinal);
            var kept = shortened[..^TextFit.Ellipsis.Length].Split(' ');
            for (var i = 0; i < kept.Length - 1; i++) Assert.Equal(words[i], kept[i]);
            // The last word kept may lose trailing punctuation ("Reconciling:" -> "Reconciling"), no letter.
            Assert.Equal(words[kept.Length - 1].TrimEnd(',', ';', ':', '(', '-'), kept[^1]);
        }
    }

    [Fact]
    public void Progress_lines_carry_the_shortened_condition()
    {
        var condition = "Reconciling: Creating " + string.Join(' ', Enumerable.Repeat("waiting", 20));
        var line = ResourceTable.Line(new ResourceTable.Row("EksCluster", "platform", "CREATING", "-", false, condition));
        Assert.StartsWith("EksCluster/platform: aws=CREATING version=- ready=False Reconciling: Creating waiting", line, StringComparison.Ordinal);
        Assert.EndsWith("waiting…", line, StringComparison.Ordinal);
        Assert.Contains(TextFit.Shorten(condition, ResourceTable.ConditionWidth), line, StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_lines_name_the_namespace_when_it_is_not_default()
    {
        var line = ResourceTable.Line(new ResourceTable.Row("EksCluster", "prod", "ACTIVE", "1.33", true, "Ready: Available", "clusters"));
        Assert.Equal("EksCluster/clusters/prod: aws=ACTIVE version=1.33 ready=True Ready: Available", line);
    }
}
