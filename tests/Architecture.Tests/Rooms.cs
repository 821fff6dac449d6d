using System.Reflection;

namespace EksOperator.Architecture.Tests;

/// <summary>The assemblies of design/architecture.md's rooms.</summary>
internal static class Rooms
{
    public static readonly Assembly Entities = typeof(Entities.OperatorApi).Assembly;
    public static readonly Assembly Runtime = Assembly.Load("EksOperator.Runtime");
    public static readonly Assembly Aws = Assembly.Load("EksOperator.Aws");
    public static readonly Assembly Operator = Assembly.Load("EksOperator");
    public static readonly Assembly KubernetesSimulator = Assembly.Load("EksOperator.Simulators.Kubernetes");
    public static readonly Assembly AwsSimulator = Assembly.Load("EksOperator.Simulators.Aws");
    public static readonly Assembly Admission = Assembly.Load("EksOperator.Simulators.Admission");

    /// <summary>The command line of the operator against the simulators (sandbox, benchmarks, integration tests).</summary>
    public static readonly Assembly OnSimulators = Assembly.Load("EksOperator.OnSimulators");

    public static readonly Assembly[] OperatorSide = [Entities, Runtime, Aws, Operator];
    public static readonly Assembly[] SimulatorSide = [KubernetesSimulator, AwsSimulator, Admission];

    public static IEnumerable<string> References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!);
}
