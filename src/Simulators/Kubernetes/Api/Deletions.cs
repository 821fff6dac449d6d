using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Json;
using EksOperator.Simulators.Kubernetes.Storage;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>
/// Deleting from the store as the apiserver and kube-controller-manager do together: finalizers, namespace
/// termination, propagation policies, the CRD's objects with the CRD, and ownerReference garbage collection.
/// Methods named …Locked expect the caller to hold the store's gate.
/// </summary>
internal sealed class Deletions(ResourceRegistry registry, ObjectStore store, TimeProvider time, GarbageCollector collector)
{
    /// <summary>Deletes or, with finalizers, marks for deletion. Returns the object that remains, or null when removed.
    /// Foreground deletes dependents first and Orphan strips their ownerReferences (this simulator's GC is immediate).</summary>
    public JsonObject? DeleteLocked(ResourceType type, string? ns, string name, string? policy)
    {
        var current = store.Get(type.Key, ns, name);
        if (current is null)
        {
            return null;
        }

        var uid = Str(current["metadata"]!["uid"])!;
        if (policy == "Orphan")
        {
            foreach (var (dependentType, dependent) in Dependents(uid))
            {
                var copy = (JsonObject)dependent.DeepClone();
                var refs = (JsonArray)copy["metadata"]!["ownerReferences"]!;
                foreach (var owned in refs.Where(r => Str(r?["uid"]) == uid).ToList())
                {
                    refs.Remove(owned);
                }

                store.Put(dependentType.Key, copy, dependent);
            }
        }
        else if (policy == "Foreground")
        {
            foreach (var (dependentType, dependent) in Dependents(uid))
            {
                DeleteLocked(dependentType, Str(dependent["metadata"]!["namespace"]), Str(dependent["metadata"]!["name"])!, "Foreground");
            }
        }

        var metadata = current["metadata"]!;
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            return DeleteNamespaceLocked(type, current);
        }

        if ((metadata["finalizers"] as JsonArray ?? []).Count > 0)
        {
            if (metadata["deletionTimestamp"] is not null)
            {
                return (JsonObject)current.DeepClone();
            }

            var marked = (JsonObject)current.DeepClone();
            var markedMeta = Meta(marked);
            markedMeta["deletionTimestamp"] = Formats.Time(time.GetUtcNow());
            markedMeta["deletionGracePeriodSeconds"] = 0;
            if (markedMeta["generation"] is { } generation)
            {
                markedMeta["generation"] = (JsonNumbers.Long(generation) ?? 0) + 1;
            }

            return store.Put(type.Key, marked, current);
        }

        RemoveLocked(type, ns, name);
        return null;
    }

    private JsonObject? DeleteNamespaceLocked(ResourceType type, JsonObject current)
    {
        var name = Str(current["metadata"]!["name"])!;
        var marked = (JsonObject)current.DeepClone();
        if (marked["metadata"]!["deletionTimestamp"] is null)
        {
            Meta(marked)["deletionTimestamp"] = Formats.Time(time.GetUtcNow());
            Meta(marked)["deletionGracePeriodSeconds"] = 0;
            marked["status"] = new JsonObject { ["phase"] = "Terminating" };
            marked = store.Put(type.Key, marked, current);
        }

        foreach (var (contentType, obj) in Contents(name))
        {
            DeleteLocked(contentType, name, Str(obj["metadata"]!["name"])!, "Background");
        }

        if (!Contents(name).Any())
        {
            store.Remove(type.Key, null, name);
            return null;
        }

        return marked;
    }

    private IEnumerable<(ResourceType Type, JsonObject Object)> Contents(string ns)
    {
        var types = registry.All.Where(t => t.Namespaced).GroupBy(t => t.Key).Select(g => g.First()).ToList();
        return types.SelectMany(t => store.List(t.Key, ns).Select(o => (t, o))).ToList();
    }

    private List<(ResourceType Type, JsonObject Object)> Dependents(string ownerUid)
    {
        var typesByKey = registry.All.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First());
        return store.Everything()
            .Where(e => (e.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => Str(r?["uid"]) == ownerUid))
            .Where(e => typesByKey.ContainsKey(e.TypeKey))
            .Select(e => (typesByKey[e.TypeKey], e.Object)).ToList();
    }

    public void RemoveLocked(ResourceType type, string? ns, string name)
    {
        var removed = store.Remove(type.Key, ns, name);
        if (removed is null)
        {
            return;
        }

        collector.Enqueue(Str(removed["metadata"]!["uid"])!);
        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            var group = Str(removed["spec"]?["group"]);
            var plural = Str(removed["spec"]?["names"]?["plural"]);
            if (registry.All.FirstOrDefault(t => t.IsCustom && t.Group == group && t.Plural == plural) is { } crType)
            {
                foreach (var obj in store.List(crType.Key, null))
                {
                    store.Remove(crType.Key, Str(obj["metadata"]!["namespace"]), Str(obj["metadata"]!["name"])!);
                }

                registry.Unregister(crType.Group, crType.Plural);
            }
        }

        if (ns is not null)
        {
            var nsType = registry.Find("", "v1", "namespaces")!.Value.Type;
            if (store.Get(nsType.Key, null, ns) is { } namespaceObject && namespaceObject["metadata"]?["deletionTimestamp"] is not null && !Contents(ns).Any())
            {
                store.Remove(nsType.Key, null, ns);
            }
        }
    }

    /// <summary>Background ownerReference GC: when an owner is gone, dependents with no remaining owner are deleted.</summary>
    public void CollectGarbage(string ownerUid)
    {
        lock (store.Gate)
        {
            var living = store.Everything().Select(e => Str(e.Object["metadata"]?["uid"])).ToHashSet();
            foreach (var (type, dependent) in Dependents(ownerUid))
            {
                var owners = (dependent["metadata"]!["ownerReferences"] as JsonArray ?? []).Select(r => Str(r?["uid"]));
                if (!owners.Any(living.Contains))
                {
                    DeleteLocked(type, Str(dependent["metadata"]!["namespace"]), Str(dependent["metadata"]!["name"])!, "Background");
                }
            }
        }
    }
}
