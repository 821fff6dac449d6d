using System.Collections.Concurrent;

namespace EksOperator.Runtime;

/// <summary>Which <see cref="ResourceType"/> each CLR type maps to: registered ones, else the type's attribute.</summary>
internal sealed class ResourceTypes
{
    private readonly ConcurrentDictionary<Type, ResourceType> _types = new();

    public void Register(Type type, ResourceType resource)
    {
        var existing = _types.GetOrAdd(type, resource);
        if (existing != resource)
        {
            throw new InvalidOperationException($"{type.Name} is registered as both {existing} and {resource}.");
        }
    }

    public ResourceType Get<T>() => _types.GetOrAdd(typeof(T), static t => ResourceType.For(t));
}
