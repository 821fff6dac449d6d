namespace EksOperator.Simulators.Aws;

/// <summary>Marker for reflection over the AWS simulator assembly.</summary>
public static class AwsSimulatorAssembly;
