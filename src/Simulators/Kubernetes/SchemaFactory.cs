using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Admission;
using EksOperator.Simulators.Kubernetes.Api;
using EksOperator.Simulators.Kubernetes.Storage;

namespace EksOperator.Simulators.Kubernetes;

/// <summary>Builds the structural-schema implementation for one CRD version over the Admission engine.</summary>
internal static class SchemaFactory
{
    public static IResourceSchema? Create(JsonObject crd, string version) =>
        crd["spec"]?["versions"] is JsonArray versions
        && versions.Any(v => v?["name"]?.GetValue<string>() == version && v["schema"]?["openAPIV3Schema"] is JsonObject)
            ? new AdmissionSchema(CrdSchema.FromCrd(crd, version))
            : null;

    private sealed class AdmissionSchema(CrdSchema schema) : IResourceSchema
    {
        public void ApplyDefaults(JsonObject obj) => schema.ApplyDefaults(obj);

        public IReadOnlyList<string> Prune(JsonObject obj) => schema.Prune(obj);

        public IReadOnlyList<Cause> Validate(JsonObject obj, JsonObject? oldObj) =>
            schema.Validate(obj, oldObj).Select(e => new Cause(e.Field, e.Reason, e.Message)).ToList();
    }
}
