using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

/// <summary>The image's build replayed without Docker (see <see cref="PublishedOperator"/>), then its entry point started.</summary>
public sealed class DockerImageBuildTests(PublishedOperator image) : IClassFixture<PublishedOperator>
{
    [Fact]
    public void Publish_command_produces_the_entrypoint_for_the_aspnet_runtime_image()
    {
        var entrypoint = Assert.Single(image.File.Stages[^1].All("ENTRYPOINT")).ExecForm!;
        var dll = image.HostPath(entrypoint[1]);
        Assert.True(File.Exists(dll), $"{entrypoint[1]} missing after the Dockerfile's publish:\n{string.Join('\n', image.Runs.Select(r => r.Command + "\n" + r.Result))}");

        // The runtime image provides .NET and ASP.NET Core; the published app must need exactly those, framework-dependent.
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(dll, ".runtimeconfig.json")))!;
        var frameworks = runtimeConfig["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => (string)f!["name"]!).ToList()
            ?? [(string)runtimeConfig["runtimeOptions"]!["framework"]!["name"]!];
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        Assert.All(frameworks, f => Assert.Contains(f, new[] { "Microsoft.NETCore.App", "Microsoft.AspNetCore.App" }));
        Assert.StartsWith("net10.0", (string?)runtimeConfig["runtimeOptions"]!["tfm"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.ChangeExtension(dll, null)), "UseAppHost=false: the image runs `dotnet EksOperator.dll`");
    }

    [OperatorServesHealthFact]
    public async Task Published_operator_answers_healthz_and_metrics_but_not_readyz_without_an_api_server()
    {
        var entrypoint = Assert.Single(image.File.Stages[^1].All("ENTRYPOINT")).ExecForm!;
        var port = FreeLoopbackPort();
        var scratch = Directory.CreateTempSubdirectory("packaging-operator-").FullName;
        try
        {
            // A Kubernetes API nobody listens on: the operator must still come up and report its own liveness.
            var kubeconfig = Path.Combine(scratch, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
                users: [{name: none, user: {token: not-a-real-token}}]
                contexts: [{name: none, context: {cluster: none, user: none, namespace: eks-operator-system}}]
                current-context: none
                """);
            var info = new System.Diagnostics.ProcessStartInfo(Tools.Require("dotnet"), entrypoint.Skip(1).Select(image.HostPath))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = image.HostPath("/app"),
            };
            foreach (var (key, value) in image.FinalEnvironment)
            {
                info.Environment[key] = value;
            }

            info.Environment["TMPDIR"] = scratch;
            info.Environment["Listen"] = $"http://127.0.0.1:{port}";
            info.Environment["KUBECONFIG"] = kubeconfig;
            // The chart's configuration names; leader election off because there is no API server to hold a Lease on.
            info.Environment["Runtime__LeaderElection__Enabled"] = "false";
            info.Environment["Operator__Region"] = "us-east-1";
            // Never leave loopback: explicit fake credentials (no default chain, no instance metadata) and every AWS
            // endpoint on a closed local port.
            info.Environment["Aws__AccessKeyId"] = "AKIDPACKAGINGTEST";
            info.Environment["Aws__SecretAccessKey"] = "packaging-test-secret";
            info.Environment["Aws__EndpointUrl"] = "http://127.0.0.1:9";
            info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

            using var process = System.Diagnostics.Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                var clock = System.Diagnostics.Stopwatch.StartNew();
                HttpStatusCode? status = null;
                while (clock.Elapsed < TimeSpan.FromSeconds(45) && !process.HasExited)
                {
                    try
                    {
                        status = (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).StatusCode;
                        if (status == HttpStatusCode.OK)
                        {
                            break;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // not listening yet
                    }
                    catch (TaskCanceledException)
                    {
                        // slow start
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }

                Assert.True(status == HttpStatusCode.OK,
                    $"/healthz answered {status?.ToString() ?? "nothing"}; exited={process.HasExited}\n{(process.HasExited ? await stdout + await stderr : "")}");

                // Alive but not ready: without an API server the caches cannot sync, so the readiness probe must hold the pod back.
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).StatusCode);
                var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
                Assert.Contains("# TYPE ", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Runs only once the operator executable maps the runtime's probe endpoints; until then it is skipped with the reason,
/// because starting an executable that serves nothing would prove nothing.
/// </summary>
public sealed class OperatorServesHealthFactAttribute : FactAttribute
{
    public OperatorServesHealthFactAttribute()
    {
        var operatorDir = Repository.PathOf("src/Operator");
        var ownSources = Directory.EnumerateFiles(operatorDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(operatorDir, f).Split(Path.DirectorySeparatorChar)[0] is not ("Runtime" or "Aws" or "bin" or "obj"));
        if (!ownSources.Any(f => File.ReadAllText(f).Contains("MapControllerRuntimeEndpoints", StringComparison.Ordinal)))
        {
            Skip = "src/Operator (Program/Hosting) does not call MapControllerRuntimeEndpoints yet, so the published EksOperator "
                + "hosts no /healthz; this half runs once the executable starts the web host with the runtime's endpoints";
        }
    }
}
