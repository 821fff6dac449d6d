namespace EksOperator.Aws;

/// <summary>Marker for reflection over the AWS assembly.</summary>
public static class AwsAssembly;
