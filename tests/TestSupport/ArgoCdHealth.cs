using System.Text.Json.Nodes;

namespace EksOperator.TestSupport;

/// <summary>Runs config/argocd/health.lua in lua5.4 the way Argo CD does: <c>obj</c> set, standard libraries withheld.</summary>
public static class ArgoCdHealth
{
    public static readonly string Script = Repository.PathOf("config/argocd/health.lua");

    public static async Task<(string Status, string Message)> EvaluateAsync(JsonNode obj)
    {
        var harness = Path.Combine(Path.GetTempPath(), $"argocd-health-{Guid.NewGuid():N}.lua");
        // Only the base functions Argo CD's VM offers without useOpenLibs; string/table/os/io are absent, so the
        // script cannot come to depend on them unnoticed.
        await File.WriteAllTextAsync(harness, $$"""
            local obj = {{LuaTable.From(obj)}}
            local env = { obj = obj, ipairs = ipairs, pairs = pairs, tostring = tostring, tonumber = tonumber, type = type, next = next, error = error }
            local chunk = assert(loadfile(arg[1], "t", env))
            local hs = chunk()
            assert(type(hs) == "table", "the health script must return a table")
            io.write(tostring(hs.status), "\n", tostring(hs.message), "\n")
            """);
        try
        {
            var result = await Tools.RunAsync(Tools.Require("lua5.4"), [harness, Script], TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = result.Stdout.Split('\n');
            return (lines[0], lines.Length > 1 ? lines[1] : "");
        }
        finally
        {
            File.Delete(harness);
        }
    }
}
