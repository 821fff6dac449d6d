namespace EksOperator.Runtime;

/// <summary>
/// Identifies one object of a kind: what the work queue holds (never the object itself).
/// <see cref="Namespace"/> is empty for cluster-scoped objects.
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>The key of an object, from its metadata.</summary>
    public static ObjectKey From(k8s.Models.IMetadata<k8s.Models.V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Metadata?.NamespaceProperty ?? string.Empty, obj.Metadata?.Name ?? string.Empty);
    }

    /// <inheritdoc/>
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
