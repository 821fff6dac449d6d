namespace EksOperator.Runtime;

/// <summary>Marker for reflection over the runtime assembly.</summary>
public static class RuntimeAssembly;
