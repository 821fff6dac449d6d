using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Test and benchmark controls under /_sim/ (no AWS path starts with it, no signature needed):
/// seeding, faults, call counters and log, and a state dump. Endpoints about state take <c>?account=ID&amp;region=R</c>
/// (default: the first account, the first region).
/// </summary>
internal sealed class ControlApi(Tenancy tenancy, AwsFaults faults, AwsCallLog calls)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async Task HandleAsync(HttpContext ctx, string rawTarget)
    {
        var path = rawTarget.Split('?')[0].TrimEnd('/');
        var method = ctx.Request.Method;
        try
        {
            var world = tenancy.Select(Query(ctx, "account"), Query(ctx, "region")).World;
            var insights = new InsightControl(world);
            switch (path, method)
            {
                case ("/_sim/health", "GET"):
                    await WriteAsync(ctx, 200, new JsonObject
                    {
                        ["status"] = "ok", ["region"] = world.Region, ["accountId"] = world.Account,
                        ["accounts"] = Json.Array(tenancy.Accounts.Select(a => a.Id)), ["regions"] = Json.Array(tenancy.Regions),
                    });
                    break;
                case ("/_sim/accounts", "GET"):
                    await WriteAsync(ctx, 200, JsonSerializer.SerializeToNode(tenancy.Accounts.Select(a => new { a.Id, a.AccessKeyId, a.SecretAccessKey, a.UserArn }), JsonOptions));
                    break;
                case ("/_sim/network", "GET"):
                    await WriteAsync(ctx, 200, JsonSerializer.SerializeToNode(world.DefaultNetwork, JsonOptions));
                    break;
                case ("/_sim/seed", "POST"):
                {
                    var seed = await JsonSerializer.DeserializeAsync<AwsSeed>(ctx.Request.Body, JsonOptions, ctx.RequestAborted)
                        ?? throw new ArgumentException("A seed document is required.");
                    await WriteAsync(ctx, 200, JsonSerializer.SerializeToNode(Seeder.Seed(world, seed), JsonOptions));
                    break;
                }

                case ("/_sim/faults", "GET"):
                    await WriteAsync(ctx, 200, FaultsJson());
                    break;
                case ("/_sim/faults", "PUT" or "POST" or "PATCH"):
                    ApplyFaults(await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject ?? []);
                    await WriteAsync(ctx, 200, FaultsJson());
                    break;
                case ("/_sim/faults", "DELETE") or ("/_sim/faults/reset", "POST"):
                    faults.Reset();
                    await WriteAsync(ctx, 200, FaultsJson());
                    break;
                case ("/_sim/calls", "GET"):
                    await WriteAsync(ctx, 200, new JsonObject { ["total"] = calls.Total, ["counters"] = JsonSerializer.SerializeToNode(calls.Counters, JsonOptions) });
                    break;
                case ("/_sim/calls", "DELETE") or ("/_sim/calls/reset", "POST"):
                    calls.Reset();
                    ctx.Response.StatusCode = 204;
                    break;
                case ("/_sim/calls/log", "GET"):
                    await WriteAsync(ctx, 200, JsonSerializer.SerializeToNode(
                        Query(ctx, "account") is { Length: > 0 } account ? calls.EntriesOf(account, Since(ctx)) : calls.Entries(Since(ctx)), JsonOptions));
                    break;
                case ("/_sim/calls/per-second", "GET"):
                    await WriteAsync(ctx, 200, JsonSerializer.SerializeToNode(calls.PerSecond(Since(ctx)), JsonOptions));
                    break;
                case ("/_sim/addons/health", "PUT" or "POST"):
                    await WriteAsync(ctx, 200, SetAddonHealth(world, await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject ?? []));
                    break;
                case ("/_sim/insights", "POST"):
                    await WriteAsync(ctx, 200, insights.Inject(await BodyAsync(ctx)));
                    break;
                case ("/_sim/insights", "DELETE"):
                    await WriteAsync(ctx, 200, insights.Clear(ctx.Request.Query.TryGetValue("cluster", out var cluster) ? cluster.ToString() : null));
                    break;
                case ("/_sim/insights/refreshed", "PUT"):
                    await WriteAsync(ctx, 200, insights.SetRefreshed(await BodyAsync(ctx)));
                    break;
                case ("/_sim/clusters/health", "PUT" or "POST"):
                    await WriteAsync(ctx, 200, insights.SetClusterHealth(await BodyAsync(ctx)));
                    break;
                case ("/_sim/insights/enforce", "GET"):
                    await WriteAsync(ctx, 200, insights.Enforce(null));
                    break;
                case ("/_sim/insights/enforce", "PUT"):
                    await WriteAsync(ctx, 200, insights.Enforce(await BodyAsync(ctx)));
                    break;
                case ("/_sim/state", "GET"):
                    await WriteAsync(ctx, 200, StateJson(world, insights));
                    break;
                default:
                    await WriteAsync(ctx, 404, new JsonObject { ["message"] = $"No control endpoint {method} {path}" });
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            await WriteAsync(ctx, 400, new JsonObject { ["message"] = e.Message });
        }
    }

    private static string? Query(HttpContext ctx, string name) => ctx.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<JsonObject> BodyAsync(HttpContext ctx) =>
        await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject ?? throw new ArgumentException("A JSON object is required.");

    private static DateTimeOffset? Since(HttpContext ctx) =>
        ctx.Request.Query.TryGetValue("since", out var since) ? DateTimeOffset.Parse(since.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    private JsonObject FaultsJson() => new()
    {
        ["throttleRate"] = faults.ThrottleRate,
        ["serverErrorRate"] = faults.ServerErrorRate,
        ["dropConnectionRate"] = faults.DropConnectionRate,
        ["loseResponseRate"] = faults.LoseResponseRate,
        ["latencyMs"] = faults.Latency.TotalMilliseconds,
        ["enforceRateLimits"] = faults.EnforceRateLimits,
        ["operations"] = Json.Array(faults.Operations.Order(StringComparer.Ordinal)),
        ["accounts"] = Json.Array(faults.Accounts.Order(StringComparer.Ordinal)),
        ["readLimit"] = new JsonObject { ["burst"] = faults.ReadLimit.Burst, ["refillPerSecond"] = faults.ReadLimit.RefillPerSecond },
        ["writeLimit"] = new JsonObject { ["burst"] = faults.WriteLimit.Burst, ["refillPerSecond"] = faults.WriteLimit.RefillPerSecond },
    };

    /// <summary>Partial update: only the members present change.</summary>
    private void ApplyFaults(JsonObject o)
    {
        if (o["throttleRate"] is { } throttle)
        {
            faults.ThrottleRate = throttle.GetValue<double>();
        }

        if (o["serverErrorRate"] is { } server)
        {
            faults.ServerErrorRate = server.GetValue<double>();
        }

        if (o["dropConnectionRate"] is { } drop)
        {
            faults.DropConnectionRate = drop.GetValue<double>();
        }

        if (o["loseResponseRate"] is { } lose)
        {
            faults.LoseResponseRate = lose.GetValue<double>();
        }

        if (o["seed"] is { } seed)
        {
            faults.UseSeed(seed.GetValue<int>());
        }

        if (o["latencyMs"] is { } latency)
        {
            faults.Latency = TimeSpan.FromMilliseconds(latency.GetValue<double>());
        }

        if (o["enforceRateLimits"] is { } enforce)
        {
            faults.EnforceRateLimits = enforce.GetValue<bool>();
        }

        if (o["operations"] is JsonArray operations)
        {
            faults.Operations = [.. operations.Select(op => op!.GetValue<string>())];
        }

        if (o["accounts"] is JsonArray accounts)
        {
            faults.Accounts = [.. accounts.Select(a => a!.GetValue<string>())];
        }

        if (o["readLimit"] is JsonObject read)
        {
            faults.ReadLimit = new AwsRateLimit(read["burst"]!.GetValue<int>(), read["refillPerSecond"]!.GetValue<double>());
        }

        if (o["writeLimit"] is JsonObject write)
        {
            faults.WriteLimit = new AwsRateLimit(write["burst"]!.GetValue<int>(), write["refillPerSecond"]!.GetValue<double>());
        }
    }

    /// <summary>
    /// {clusterName, addonName, issues:[{code, message, resourceIds}]}: a settled add-on with issues turns DEGRADED
    /// (what the AddonActive waiter fails on); empty issues clear it back to ACTIVE. Returns {status, issues}.
    /// </summary>
    private static JsonObject SetAddonHealth(World world, JsonObject o)
    {
        var clusterName = o["clusterName"]?.GetValue<string>() ?? throw new ArgumentException("clusterName is required.");
        var addonName = o["addonName"]?.GetValue<string>() ?? throw new ArgumentException("addonName is required.");
        var issues = (o["issues"] as JsonArray ?? []).Select(i => new AddonHealthIssue(
            i?["code"]?.GetValue<string>() ?? throw new ArgumentException("Each issue needs a code."),
            i["message"]?.GetValue<string>() ?? string.Empty,
            [.. (i["resourceIds"] as JsonArray ?? []).Select(r => r!.GetValue<string>())])).ToList();
        lock (world.Gate)
        {
            world.Tick();
            var addon = world.Clusters.GetValueOrDefault(clusterName)?.Addons.GetValueOrDefault(addonName)
                ?? throw new ArgumentException($"No addon {addonName} in cluster {clusterName}.");
            addon.HealthIssues = issues;
            if (addon.Status is "ACTIVE" or "DEGRADED")
            {
                addon.Status = issues.Count > 0 ? "DEGRADED" : "ACTIVE";
                addon.ModifiedAt = world.Now;
            }

            return new JsonObject { ["status"] = addon.Status, ["issues"] = issues.Count };
        }
    }

    private JsonObject StateJson(World world, InsightControl insights)
    {
        lock (world.Gate)
        {
            world.Tick();
            var clusters = new JsonArray();
            foreach (var c in world.Clusters.Values)
            {
                var nodegroups = new JsonArray();
                foreach (var ng in c.Nodegroups.Values)
                {
                    nodegroups.Add(new JsonObject
                    {
                        ["name"] = ng.Name,
                        ["status"] = ng.Status,
                        ["version"] = ng.Version,
                        ["minSize"] = ng.MinSize,
                        ["maxSize"] = ng.MaxSize,
                        ["desiredSize"] = ng.DesiredSize,
                        ["labels"] = Json.Map(ng.Labels),
                        ["updateStrategy"] = ng.UpdateStrategy,
                        ["nodeRepair"] = ng.NodeRepairConfig?["enabled"]?.DeepClone(),
                        ["tags"] = Json.Map(ng.Tags),
                    });
                }

                var profiles = new JsonArray();
                foreach (var p in c.FargateProfiles.Values)
                {
                    profiles.Add(new JsonObject { ["name"] = p.Name, ["status"] = p.Status, ["tags"] = Json.Map(p.Tags) });
                }

                var addons = new JsonArray();
                foreach (var a in c.Addons.Values)
                {
                    addons.Add(new JsonObject { ["name"] = a.Name, ["status"] = a.Status, ["version"] = a.Version, ["preserve"] = a.Preserve, ["tags"] = Json.Map(a.Tags) });
                }

                var capabilities = new JsonArray();
                foreach (var k in c.Capabilities.Values)
                {
                    capabilities.Add(new JsonObject
                    {
                        ["name"] = k.Name, ["type"] = k.Type, ["status"] = k.Status, ["version"] = k.Version, ["roleArn"] = k.RoleArn, ["tags"] = Json.Map(k.Tags),
                        ["configuration"] = k.ArgoCd is null ? null : new JsonObject { ["argoCd"] = k.ArgoCd.DeepClone() },
                    });
                }

                var updates = new JsonArray();
                foreach (var u in c.Updates)
                {
                    updates.Add(new JsonObject { ["id"] = u.Id, ["type"] = u.Type, ["status"] = u.Status, ["nodegroup"] = u.Nodegroup, ["addon"] = u.Addon, ["capability"] = u.Capability });
                }

                var entries = new JsonArray();
                foreach (var e in c.AccessEntries.Values)
                {
                    entries.Add(new JsonObject { ["principalArn"] = e.PrincipalArn, ["type"] = e.Type, ["policies"] = Json.Array(e.Policies.Keys) });
                }

                var associations = new JsonArray();
                foreach (var a in c.PodIdentityAssociations.Values)
                {
                    associations.Add(new JsonObject
                    {
                        ["id"] = a.Id, ["namespace"] = a.Namespace, ["serviceAccount"] = a.ServiceAccount, ["roleArn"] = a.RoleArn, ["ownerArn"] = a.OwnerArn,
                    });
                }

                clusters.Add(new JsonObject
                {
                    ["name"] = c.Name,
                    ["authenticationMode"] = c.AuthenticationMode,
                    ["status"] = c.Status,
                    ["version"] = c.Version,
                    ["tags"] = Json.Map(c.Tags),
                    ["logging"] = Json.Array(c.EnabledLogTypes),
                    ["nodegroups"] = nodegroups,
                    ["fargateProfiles"] = profiles,
                    ["addons"] = addons,
                    ["updates"] = updates,
                    ["accessEntries"] = entries,
                    ["podIdentityAssociations"] = associations,
                    ["insights"] = insights.InsightsJson(c),
                    ["insightsRefresh"] = insights.RefreshJson(c),
                    ["capabilities"] = capabilities,
                    ["autoMode"] = c.ComputeEnabled is null ? null : new JsonObject
                    {
                        ["compute"] = c.ComputeEnabled, ["blockStorage"] = c.BlockStorageEnabled, ["elasticLoadBalancing"] = c.ElasticLoadBalancingEnabled,
                        ["nodePools"] = Json.Array(c.NodePools), ["nodeRoleArn"] = c.NodeRoleArn,
                    },
                    ["zonalShift"] = c.ZonalShiftEnabled,
                    ["controlPlaneTier"] = c.ControlPlaneTier,
                    ["remoteNodeCidrs"] = Json.Array(c.RemoteNodeCidrs),
                    ["remotePodCidrs"] = Json.Array(c.RemotePodCidrs),
                });
            }

            var roles = new JsonArray();
            foreach (var r in world.Roles.Values)
            {
                roles.Add(new JsonObject
                {
                    ["name"] = r.Name, ["arn"] = r.Arn, ["attachedPolicies"] = Json.Array(r.AttachedPolicies), ["tags"] = Json.Map(r.Tags),
                    ["assumeRolePolicyDocument"] = r.AssumeRolePolicyDocument,
                });
            }

            return new JsonObject
            {
                ["now"] = world.Now.ToString("O", CultureInfo.InvariantCulture),
                ["account"] = world.Account,
                ["region"] = world.Region,
                ["accounts"] = Json.Array(tenancy.Accounts.Select(a => a.Id)),
                ["sessions"] = tenancy.SessionCount,
                ["clusters"] = clusters,
                ["roles"] = roles,
                ["oidcProviders"] = new JsonArray([.. world.OidcProviders.Values.Select(o => (JsonNode)new JsonObject
                {
                    ["arn"] = o.Arn, ["url"] = o.Url, ["clientIds"] = Json.Array(o.ClientIds), ["thumbprints"] = Json.Array(o.Thumbprints), ["tags"] = Json.Map(o.Tags),
                })]),
                ["vpcs"] = Json.Array(world.Vpcs.Keys),
                ["subnets"] = Json.Array(world.Subnets.Keys),
                ["securityGroups"] = Json.Array(world.SecurityGroups.Keys),
            };
        }
    }

    private static async Task WriteAsync(HttpContext ctx, int status, JsonNode? body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body?.ToJsonString() ?? "null", ctx.RequestAborted);
    }
}
