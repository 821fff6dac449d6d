using System.Reflection;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>Where a kind lives on the API server: group, version, plural, and whether it is namespaced.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>"group/version", or just "version" for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Reads group, version, kind and plural from the type's <see cref="KubernetesEntityAttribute"/>.</summary>
    public static ResourceType For<T>(bool namespaced = true) => For(typeof(T), namespaced);

    /// <inheritdoc cref="For{T}(bool)"/>
    public static ResourceType For(Type type, bool namespaced = true)
    {
        ArgumentNullException.ThrowIfNull(type);
        var attribute = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no [KubernetesEntity] attribute; pass a ResourceType explicitly.");
        if (string.IsNullOrEmpty(attribute.PluralName) || string.IsNullOrEmpty(attribute.ApiVersion) || string.IsNullOrEmpty(attribute.Kind))
        {
            throw new InvalidOperationException($"[KubernetesEntity] on {type.Name} must set ApiVersion, Kind and PluralName.");
        }

        return new ResourceType(attribute.Group ?? string.Empty, attribute.ApiVersion, attribute.PluralName, attribute.Kind, namespaced);
    }

    /// <summary>The collection path relative to the server root, e.g. <c>apis/g/v/namespaces/ns/widgets</c>.</summary>
    internal string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
    }

    internal string ObjectPath(ObjectKey key) => $"{CollectionPath(key.Namespace)}/{Uri.EscapeDataString(key.Name)}";
}
