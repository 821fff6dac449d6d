using System.Reflection;
using NetArchTest.Rules;

namespace EksOperator.Architecture.Tests;

/// <summary>The table "Rooms and what each may touch" of design/architecture.md, enforced.</summary>
public sealed class RoomRulesTests
{
    [Fact]
    public void Entities_hold_types_only_on_KubernetesClient()
    {
        var references = Rooms.References(Rooms.Entities).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("AWSSDK", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("EksOperator", StringComparison.Ordinal));
        AssertNoDependency(Rooms.Entities, "Amazon", "System.Net.Http", "System.IO.File");
    }

    [Fact]
    public void Runtime_knows_nothing_of_aws_entities_or_controllers()
    {
        var references = Rooms.References(Rooms.Runtime).ToList();
        Assert.DoesNotContain(references, r => r.StartsWith("AWSSDK", StringComparison.Ordinal));
        Assert.DoesNotContain("EksOperator.Entities", references);
        Assert.DoesNotContain("EksOperator.Aws", references);
        Assert.DoesNotContain("EksOperator", references);
        AssertNoDependency(Rooms.Runtime, "Amazon", "EksOperator.Entities", "EksOperator.Controllers", "EksOperator.Aws");
    }

    [Fact]
    public void Aws_never_touches_the_kubernetes_client_status_or_events()
    {
        Assert.DoesNotContain("EksOperator.Runtime", Rooms.References(Rooms.Aws));
        AssertNoDependency(Rooms.Aws, "k8s", "EksOperator.Runtime", "EksOperator.Controllers");
    }

    [Fact]
    public void Controllers_orchestrate_without_aws_sdk_types_or_the_raw_kubernetes_client()
    {
        var result = Types.InAssembly(Rooms.Operator).That().ResideInNamespace("EksOperator.Controllers")
            .ShouldNot().HaveDependencyOnAny("Amazon", "k8s.IKubernetes", "k8s.Kubernetes", "k8s.GenericClient")
            .GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void Hosting_wires_the_aws_room_without_aws_sdk_types()
    {
        // Credentials and endpoints are built in the Aws room from its configuration section; the executable itself
        // references no AWS SDK assembly at all (its project has no AWSSDK package).
        var result = Types.InAssembly(Rooms.Operator).That().ResideInNamespace("EksOperator.Hosting")
            .ShouldNot().HaveDependencyOn("Amazon")
            .GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
        Assert.DoesNotContain(Rooms.References(Rooms.Operator), r => r.StartsWith("AWSSDK", StringComparison.Ordinal));
    }

    [Fact]
    public void Controllers_call_the_aws_room_by_intent_never_its_wire_clients_or_requests()
    {
        // The loop and the adapters say what they want (IEksClusters.UpgradeAsync); the Aws room builds the request.
        var wire = Rooms.Aws.GetTypes()
            .Where(t => t.IsPublic && (t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name is "IEksApi" or "IIamApi" or "IEc2Api"))
            .Select(t => t.FullName!)
            .ToArray();
        Assert.Contains("EksOperator.Aws.Eks.IEksApi", wire);
        Assert.Contains(wire, t => t.EndsWith(".UpdateClusterVersionRequest", StringComparison.Ordinal));
        var result = Types.InAssembly(Rooms.Operator).That().ResideInNamespace("EksOperator.Controllers")
            .ShouldNot().HaveDependencyOnAny(wire)
            .GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    [Fact]
    public void Simulators_share_no_code_with_the_operator()
    {
        foreach (var simulator in Rooms.SimulatorSide)
        {
            var references = Rooms.References(simulator).ToList();
            foreach (var forbidden in new[] { "EksOperator", "EksOperator.Entities", "EksOperator.Runtime", "EksOperator.Aws" })
            {
                Assert.False(references.Contains(forbidden), $"{simulator.GetName().Name} references {forbidden}");
            }
        }
    }

    [Fact]
    public void The_operator_against_the_simulators_is_strings_the_operator_never_references()
    {
        // It runs the operator from outside, by its command line; neither side compiles against the other through it.
        foreach (var room in Rooms.OperatorSide.Concat(Rooms.SimulatorSide))
        {
            Assert.DoesNotContain(Rooms.OnSimulators.GetName().Name, Rooms.References(room));
        }

        foreach (var forbidden in new[] { "EksOperator", "EksOperator.Entities", "EksOperator.Runtime", "EksOperator.Aws" })
        {
            Assert.DoesNotContain(forbidden, Rooms.References(Rooms.OnSimulators));
        }
    }

    [Fact]
    public void Every_room_assembly_is_loaded_and_has_types()
    {
        foreach (var assembly in Rooms.OperatorSide.Concat(Rooms.SimulatorSide))
        {
            Assert.NotEmpty(assembly.GetTypes());
        }
    }

    private static void AssertNoDependency(Assembly assembly, params string[] namespaces)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(namespaces).GetResult();
        Assert.True(result.IsSuccessful, Failing(result));
    }

    internal static string Failing(TestResult result) =>
        "offending types: " + string.Join(", ", result.FailingTypeNames ?? []);
}
