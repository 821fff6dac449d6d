// Scale of the Kubernetes simulator: N EksClusters (the real CRD: schema and CEL rules run on every write),
// W concurrent watchers. Reports create throughput, LIST latency (whole list, kubectl-style pages of 500, Table),
// event fan-out latency (write request start -> event line read by each watcher) and memory. Prints Markdown.
// Usage: dotnet run -c Release --project bench/KubernetesSimulatorBench -- [objects=10000] [watchers=50] [updates=200]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes;

var objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var watchers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var updates = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var root = FindRepoRoot();
const string Collection = "/apis/eks.operator.dev/v1alpha1/namespaces/default/eksclusters";

var baselineBytes = GC.GetTotalMemory(forceFullCollection: true);
await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions
{
    CrdFiles = Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml"),
    WatchHistorySize = Math.Max(1000, updates * 2),
});
using var http = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

// Create: 8 concurrent writers.
var created = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < objects)
    {
        using var content = Json(Cluster($"bench-{i:D5}"));
        using var response = await http.PostAsync(new Uri(Collection, UriKind.Relative), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        }
    }
}));
created.Stop();
var loadedBytes = GC.GetTotalMemory(forceFullCollection: true);

// LIST latency.
var whole = await MeasureAsync(5, async () => await ReadAsync(Collection, null));
var table = await MeasureAsync(5, async () => await ReadAsync(Collection, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
var paged = await MeasureAsync(5, async () =>
{
    string? token = null;
    do
    {
        var page = JsonNode.Parse(await ReadAsync($"{Collection}?limit=500{(token is null ? "" : "&continue=" + Uri.EscapeDataString(token))}", null))!;
        token = page["metadata"]!["continue"]?.GetValue<string>();
    }
    while (token is not null);
});

// Fan-out: W watchers from the current resourceVersion, then sequential label updates.
var listRv = JsonNode.Parse(await ReadAsync($"{Collection}?limit=1", null))!["metadata"]!["resourceVersion"]!.GetValue<string>();
var sent = new long[updates];
var latencies = new List<double>[watchers];
using var stop = new CancellationTokenSource();
var readers = new List<Task>();
var ready = new CountdownEvent(watchers);
for (var w = 0; w < watchers; w++)
{
    var mine = latencies[w] = new List<double>(updates);
    readers.Add(Task.Run(async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Collection}?watch=1&allowWatchBookmarks=true&resourceVersion={listRv}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        ready.Signal();
        while (mine.Count < updates && await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var received = Stopwatch.GetTimestamp();
            var change = JsonNode.Parse(line)!;
            if (change["type"]!.GetValue<string>() == "MODIFIED"
                && change["object"]!["metadata"]!["labels"]?["seq"]?.GetValue<string>() is { } seq)
            {
                mine.Add(Stopwatch.GetElapsedTime(sent[int.Parse(seq, CultureInfo.InvariantCulture)], received).TotalMilliseconds);
            }
        }
    }));
}

ready.Wait(TimeSpan.FromSeconds(30));
var writeLatency = new List<double>();
for (var u = 0; u < updates; u++)
{
    var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["seq"] = u.ToString(CultureInfo.InvariantCulture) } } };
    using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
    sent[u] = Stopwatch.GetTimestamp();
    using var response = await http.PatchAsync(new Uri($"{Collection}/bench-{u % objects:D5}", UriKind.Relative), content);
    writeLatency.Add(Stopwatch.GetElapsedTime(sent[u]).TotalMilliseconds);
    response.EnsureSuccessStatusCode();
}

await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(2));
await stop.CancelAsync();
var fanOut = latencies.SelectMany(l => l).Order().ToList();
var withWatchersBytes = GC.GetTotalMemory(forceFullCollection: true);
var workingSet = Process.GetCurrentProcess().WorkingSet64;

Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release, simulator and client in one process.");
Console.WriteLine();
Console.WriteLine("| Measure | Result |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| Create {objects:N0} EksClusters (8 concurrent, schema + CEL) | {created.Elapsed.TotalSeconds:F1} s ({objects / created.Elapsed.TotalSeconds:F0} creates/s) |");
Console.WriteLine($"| LIST all {objects:N0} (one response) | p50 {Pct(whole, 50):F0} ms, max {whole[^1]:F0} ms |");
Console.WriteLine($"| LIST all as Table (kubectl get) | p50 {Pct(table, 50):F0} ms, max {table[^1]:F0} ms |");
Console.WriteLine($"| LIST in pages of 500 (kubectl, informers) | p50 {Pct(paged, 50):F0} ms for all pages, max {paged[^1]:F0} ms |");
Console.WriteLine($"| PATCH with {watchers} watchers open (request latency) | p50 {Pct(writeLatency.Order().ToList(), 50):F1} ms, p99 {Pct(writeLatency.Order().ToList(), 99):F1} ms |");
Console.WriteLine($"| Event fan-out, write start -> line read by each of {watchers} watchers ({fanOut.Count:N0} deliveries) | p50 {Pct(fanOut, 50):F1} ms, p95 {Pct(fanOut, 95):F1} ms, p99 {Pct(fanOut, 99):F1} ms, max {fanOut[^1]:F1} ms |");
Console.WriteLine($"| Managed heap: empty / {objects:N0} objects / + {watchers} watchers after {updates} updates | {Mb(baselineBytes)} / {Mb(loadedBytes)} / {Mb(withWatchersBytes)} MB |");
Console.WriteLine($"| Process working set at the end | {Mb(workingSet)} MB |");

if (fanOut.Count != watchers * updates)
{
    Console.Error.WriteLine($"warning: expected {watchers * updates} deliveries, saw {fanOut.Count}");
    return 1;
}

return 0;

async Task<string> ReadAsync(string path, string? accept)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    if (accept is not null)
    {
        request.Headers.TryAddWithoutValidation("Accept", accept);
    }

    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsStringAsync();
}

static async Task<List<double>> MeasureAsync(int runs, Func<Task> action)
{
    await action(); // warm-up
    var results = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        await action();
        results.Add(clock.Elapsed.TotalMilliseconds);
    }

    results.Sort();
    return results;
}

static double Pct(IReadOnlyList<double> sorted, int percentile) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

static JsonObject Cluster(string name) => new()
{
    ["apiVersion"] = "eks.operator.dev/v1alpha1",
    ["kind"] = "EksCluster",
    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["bench"] = "true" } },
    ["spec"] = new JsonObject
    {
        ["version"] = "1.33",
        ["vpc"] = new JsonObject { ["subnetSelector"] = new JsonObject { ["tags"] = new JsonObject { ["kubernetes.io/role/internal-elb"] = "1" } } },
        ["tags"] = new JsonObject { ["team"] = "platform" },
    },
};

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository (EksOperator.sln not found)");
}
