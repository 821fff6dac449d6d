using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("empty output");

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the real AWS CLI (botocore underneath) against a simulator (or moto) with --endpoint-url.</summary>
internal sealed class AwsCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Uri _endpoint;
    private readonly string _accessKeyId;
    private readonly string _secretAccessKey;
    private readonly string _region;

    /// <summary>The simulator's first account (its long-term key; another secret to see a signature refused).</summary>
    public AwsCli(AwsSimulator simulator, string? secretAccessKey = null)
        : this(simulator.BaseAddress, simulator.Options.AccessKeyId, secretAccessKey ?? simulator.Options.SecretAccessKey, simulator.Options.Region)
    {
    }

    /// <summary>One of the simulator's accounts, by its long-term key.</summary>
    public AwsCli(AwsSimulator simulator, AwsAccount account)
        : this(simulator.BaseAddress, account.AccessKeyId, account.SecretAccessKey, simulator.Options.Region)
    {
    }

    public AwsCli(Uri endpoint, string accessKeyId, string secretAccessKey, string region)
    {
        _endpoint = endpoint;
        _accessKeyId = accessKeyId;
        _secretAccessKey = secretAccessKey;
        _region = region;
    }

    /// <summary>Sent as AWS_SESSION_TOKEN (temporary credentials from AssumeRole).</summary>
    public string? SessionToken { get; init; }

    /// <summary>The same endpoint and region with other credentials (e.g. an AssumeRole result).</summary>
    public AwsCli With(string accessKeyId, string secretAccessKey, string? sessionToken) =>
        new(_endpoint, accessKeyId, secretAccessKey, _region) { SessionToken = sessionToken };

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
        start.ArgumentList.Add(_endpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        var env = start.Environment;
        env["AWS_ACCESS_KEY_ID"] = _accessKeyId;
        env["AWS_SECRET_ACCESS_KEY"] = _secretAccessKey;
        env["AWS_DEFAULT_REGION"] = _region;
        env.Remove("AWS_SESSION_TOKEN");
        if (SessionToken is not null)
        {
            env["AWS_SESSION_TOKEN"] = SessionToken;
        }

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
