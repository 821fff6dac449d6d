using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("empty output");

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the real AWS CLI (botocore underneath) against a simulator with --endpoint-url.</summary>
internal sealed class AwsCli(AwsSimulator simulator, string? secretAccessKey = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Full path of `aws` (PATH, then .tools/bin), or null.</summary>
    public static string? Location { get; } = Tools.Locate("aws");

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Location ?? throw new InvalidOperationException("aws CLI not found on PATH"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(simulator.BaseAddress.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        var env = start.Environment;
        env["AWS_ACCESS_KEY_ID"] = simulator.Options.AccessKeyId;
        env["AWS_SECRET_ACCESS_KEY"] = secretAccessKey ?? simulator.Options.SecretAccessKey;
        env["AWS_DEFAULT_REGION"] = simulator.Options.Region;
        env.Remove("AWS_SESSION_TOKEN");
        env.Remove("AWS_PROFILE");
        // Keep the developer's own AWS files and instance metadata out of the picture.
        env["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        env["AWS_EC2_METADATA_DISABLED"] = "true";
        env["AWS_MAX_ATTEMPTS"] = "1";
        env["AWS_PAGER"] = string.Empty;

        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aws {string.Join(' ', args)} did not finish within {Timeout}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and requires success.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary>Runs and requires the CLI to report AWS's exception name, as it prints it: "An error occurred (Code) when calling …".</summary>
    public async Task<CliResult> FailsWithAsync(string errorCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode != 0, $"aws {string.Join(' ', args)} should have failed: {result}");
        Assert.Contains($"An error occurred ({errorCode})", result.Stderr, StringComparison.Ordinal);
        return result;
    }
}
