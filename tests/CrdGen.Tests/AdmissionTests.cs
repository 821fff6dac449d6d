using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EksOperator.Simulators.Kubernetes.Admission;

namespace CrdGen.Tests;

/// <summary>
/// The generated CRDs as admission: every bad manifest is refused with its field named, every good one accepted,
/// every CEL rule compiles and is exercised, and removing the constraint a case relies on makes the case pass.
/// </summary>
public sealed partial class AdmissionTests
{
    public static TheoryData<BadCase> BadCases => [.. AdmissionCases.Bad];

    public static TheoryData<GoodCase> GoodCases => [.. AdmissionCases.Good];

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_input_is_refused_naming_the_field(BadCase bad)
    {
        var errors = Run(Repo.Crd(Admission.PluralOf[bad.Kind]), bad);
        Assert.True(errors.Any(e => e.Field == bad.Field && e.Message.Contains(bad.Fragment, StringComparison.Ordinal)),
            $"expected '{bad.Field}: ...{bad.Fragment}...', got: [{string.Join(" | ", errors)}]");
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_input_passes_once_its_constraint_is_removed(BadCase bad)
    {
        var crd = Repo.Crd(Admission.PluralOf[bad.Kind]);
        var removed = RemoveConstraint(crd, bad);
        Assert.True(removed > 0, $"constraint '{bad.Constraint}' for {bad.Field} not found in the CRD");
        var errors = Run(crd, bad);
        Assert.False(errors.Any(e => e.Field == bad.Field && e.Message.Contains(bad.Fragment, StringComparison.Ordinal)),
            $"still refused for the same reason without its constraint: [{string.Join(" | ", errors)}]");
    }

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void Valid_edge_cases_are_accepted(GoodCase good)
    {
        var crd = Repo.Crd(Admission.PluralOf[good.Kind]);
        var obj = Admission.Base(good.Kind);
        JsonObject? old = null;
        if (good.Before is not null || good.IsUpdate)
        {
            old = (JsonObject)obj.DeepClone();
            good.Before?.Invoke(old);
            obj = (JsonObject)old.DeepClone();
        }

        good.Change(obj);
        var errors = Admission.Admit(crd, obj, old);
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
    }

    [Fact]
    public void There_are_at_least_40_bad_and_10_good_cases_across_every_kind()
    {
        Assert.True(AdmissionCases.Bad.Length >= 40, $"{AdmissionCases.Bad.Length} bad cases");
        Assert.True(AdmissionCases.Good.Length >= 10, $"{AdmissionCases.Good.Length} good cases");
        Assert.Equal(Admission.PluralOf.Count, AdmissionCases.Bad.Select(c => c.Kind).Distinct().Count());
        Assert.Equal(AdmissionCases.Bad.Length, AdmissionCases.Bad.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Every_cel_rule_compiles_and_is_exercised_by_a_bad_case()
    {
        var unexercised = new List<string>();
        foreach (var (kind, plural) in Admission.PluralOf)
        {
            var crd = Repo.Crd(plural);
            Assert.True(CrdSchema.FromCrd(crd, "v1alpha1").RuleCount > 0);
            var messages = AdmissionCases.Bad.Where(c => c.Kind == kind)
                .SelectMany(c => Run(Repo.Crd(plural), c)).Select(e => e.Message).ToList();
            foreach (var rule in Validations(crd))
            {
                var message = (string)rule["message"]!;
                if (!messages.Any(m => m.Contains(message, StringComparison.Ordinal))) unexercised.Add($"{kind}: {rule["rule"]}");
            }
        }

        Assert.True(unexercised.Count == 0, "rules no bad case exercises:\n" + string.Join("\n", unexercised));
    }

    [Fact]
    public void Every_sample_manifest_is_valid()
    {
        var files = Directory.GetFiles(Repo.PathOf("config/samples"), "*.yaml", SearchOption.AllDirectories);
        Assert.True(files.Length >= 4);
        var kinds = new HashSet<string>();
        foreach (var file in files)
        {
            foreach (var document in YamlJson.ParseAll(File.ReadAllText(file)))
            {
                var obj = document.AsObject();
                var kind = (string)obj["kind"]!;
                kinds.Add(kind);
                var errors = Admission.Admit(Repo.Crd(Admission.PluralOf[kind]), obj);
                Assert.True(errors.Count == 0, $"{Path.GetFileName(file)} {obj["metadata"]!["name"]}: {string.Join(" | ", errors)}");
            }
        }

        Assert.Equal(Admission.PluralOf.Count, kinds.Count);
    }

    [Fact]
    public void Defaults_are_filled_in_and_unknown_fields_pruned()
    {
        var schema = CrdSchema.FromCrd(Repo.Crd("eksclusters"), "v1alpha1");
        var obj = Admission.Base("EksCluster");
        obj["spec"]!["surprise"] = 1;
        obj["spec"]!["vpc"]!["alsoUnknown"] = true;
        schema.ApplyDefaults(obj);
        var removed = schema.Prune(obj);
        Assert.Equal(["spec.surprise", "spec.vpc.alsoUnknown"], removed.Order(StringComparer.Ordinal));
        Assert.Equal("Delete", (string?)obj["spec"]!["deletionPolicy"]);
        Assert.Equal("Manage", (string?)obj["spec"]!["managementPolicy"]);
        Assert.True((bool)obj["spec"]!["nodeGroupsFollowVersion"]!);
        Assert.True((bool)obj["spec"]!["vpc"]!["endpointPublicAccess"]!);
        Assert.False((bool)obj["spec"]!["vpc"]!["endpointPrivateAccess"]!);
    }

    private static IReadOnlyList<FieldError> Run(JsonObject crd, BadCase bad)
    {
        var obj = Admission.Base(bad.Kind);
        JsonObject? old = null;
        if (bad.Updates)
        {
            old = (JsonObject)obj.DeepClone();
            bad.Before?.Invoke(old);
            obj = (JsonObject)old.DeepClone();
        }

        bad.Change(obj);
        return Admission.Admit(crd, obj, old);
    }

    private static IEnumerable<JsonObject> Validations(JsonNode? node) => node switch
    {
        JsonObject o => (o["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>()
            .Concat(o.Where(p => p.Key != "x-kubernetes-validations").SelectMany(p => Validations(p.Value))),
        JsonArray a => a.SelectMany(Validations),
        _ => [],
    };

    // Removes what refuses the case: CEL rules by message, else the schema keyword at the field's schema node.
    private static int RemoveConstraint(JsonObject crd, BadCase bad)
    {
        var root = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        if (bad.Constraint == "rule")
        {
            var removed = 0;
            foreach (var list in Lists(root))
            {
                foreach (var rule in list.OfType<JsonObject>().Where(r => ((string)r["message"]!).Contains(bad.Fragment, StringComparison.Ordinal)).ToList())
                {
                    list.Remove(rule);
                    removed++;
                }
            }

            return removed;
        }

        var segments = FieldSegments().Matches(bad.Field).Select(m => m.Value).ToList();
        if (bad.Constraint == "required")
        {
            var parent = SchemaAt(root, segments[..^1]);
            var required = parent?["required"] as JsonArray;
            var entry = required?.FirstOrDefault(n => (string)n! == segments[^1]);
            return entry is not null && required!.Remove(entry) ? 1 : 0;
        }

        var node = SchemaAt(root, segments);
        if (bad.Constraint == "x-kubernetes-list-type") node = SchemaAt(root, segments[..^1]);
        return node?.Remove(bad.Constraint) == true ? 1 : 0;

        static IEnumerable<JsonArray> Lists(JsonNode? node) => node switch
        {
            JsonObject o => (o["x-kubernetes-validations"] is JsonArray a ? [a] : Array.Empty<JsonArray>())
                .Concat(o.Where(p => p.Key != "x-kubernetes-validations").SelectMany(p => Lists(p.Value))),
            _ => [],
        };
    }

    private static JsonObject? SchemaAt(JsonObject root, IEnumerable<string> segments)
    {
        JsonObject? node = root;
        foreach (var segment in segments)
        {
            node = segment.StartsWith('[')
                ? (node?["items"] ?? node?["additionalProperties"]) as JsonObject
                : node?["properties"]?[segment] as JsonObject;
        }

        return node;
    }

    [GeneratedRegex(@"[^.\[\]]+|\[[^\]]*\]")]
    private static partial Regex FieldSegments();
}
