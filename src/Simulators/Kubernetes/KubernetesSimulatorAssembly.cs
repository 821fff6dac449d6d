namespace EksOperator.Simulators.Kubernetes;

/// <summary>Marker for reflection over the Kubernetes simulator assembly.</summary>
public static class KubernetesSimulatorAssembly;
