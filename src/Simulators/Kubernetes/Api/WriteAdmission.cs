using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EksOperator.Simulators.Kubernetes.Storage;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>
/// Admission of creates and updates, as the apiserver's validation and defaulting: object metadata, the CRD schema
/// (prune, default, validate incl. CEL) and the per-kind rules of the built-in types this simulator serves.
/// </summary>
internal static partial class WriteAdmission
{
    /// <summary>Validation and defaulting: metadata, the CRD schema (prune, default, validate incl. CEL), then per-kind rules.</summary>
    public static void Admit(WriteContext context, JsonObject obj, JsonObject? old)
    {
        var type = context.Type;
        var metadata = Meta(obj);
        var name = Str(metadata["name"]) ?? "";
        var causes = new List<Cause>();
        if (old is null)
        {
            ValidateName(type, name, causes);
        }

        ValidateLabels(metadata, causes);
        foreach (var finalizer in (metadata["finalizers"] as JsonArray ?? []).Select(Str))
        {
            if (finalizer is not null && !finalizer.Contains('/', StringComparison.Ordinal) && type.IsCustom)
            {
                context.Warnings.Add($"metadata.finalizers: \"{finalizer}\": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers");
            }
        }

        if (old is not null && old["metadata"]?["deletionTimestamp"] is not null)
        {
            var before = (old["metadata"]?["finalizers"] as JsonArray ?? []).Select(Str).ToHashSet();
            var added = (metadata["finalizers"] as JsonArray ?? []).Select(Str).Where(f => !before.Contains(f)).ToList();
            if (added.Count > 0)
            {
                causes.Add(new("metadata.finalizers", "FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(a => $"\"{a}\""))}}}"));
            }
        }

        if (context.Version.Schema is { } schema)
        {
            var unknown = schema.Prune(obj);
            if (unknown.Count > 0)
            {
                switch (context.FieldValidation)
                {
                    case "Strict":
                        throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
                    case "Warn":
                        context.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                        break;
                }
            }

            schema.ApplyDefaults(obj);
            causes.AddRange(schema.Validate(obj, old));
        }

        AdmitBuiltIn(type, obj, old, causes);
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, causes);
        }
    }

    private static void ValidateName(ResourceType type, string name, List<Cause> causes)
    {
        var label = type.Plural == "namespaces" && type.Group.Length == 0;
        var valid = label
            ? name.Length <= 63 && DnsLabel().IsMatch(name)
            : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!valid)
        {
            causes.Add(new("metadata.name", "FieldValueInvalid", label
                ? $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }

    private static void ValidateLabels(JsonObject metadata, List<Cause> causes)
    {
        foreach (var (key, value) in metadata["labels"] as JsonObject ?? [])
        {
            var text = Str(value);
            if (!LabelKey().IsMatch(key))
            {
                causes.Add(new("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }

            if (text is null || text.Length > 63 || !LabelValue().IsMatch(text))
            {
                causes.Add(new($"metadata.labels", "FieldValueInvalid", $"Invalid value: \"{text}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }
    }

    private static void AdmitBuiltIn(ResourceType type, JsonObject obj, JsonObject? old, List<Cause> causes)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "secrets"):
                if (obj["stringData"] is JsonObject stringData)
                {
                    var data = obj["data"] as JsonObject ?? (JsonObject)(obj["data"] = new JsonObject());
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Str(value) ?? ""));
                    }

                    obj.Remove("stringData");
                }

                obj["type"] ??= "Opaque";
                break;
            case ("", "namespaces"):
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = old?["status"]?.DeepClone() ?? new JsonObject { ["phase"] = "Active" };
                var labels = Meta(obj)["labels"] as JsonObject ?? (JsonObject)(Meta(obj)["labels"] = new JsonObject());
                labels["kubernetes.io/metadata.name"] = Str(Meta(obj)["name"]);
                break;
            case ("", "events"):
                var ns = Str(Meta(obj)["namespace"]);
                var involvedNs = Str(obj["involvedObject"]?["namespace"]);
                if (obj["eventTime"] is null && !string.IsNullOrEmpty(involvedNs) && involvedNs != ns)
                {
                    causes.Add(new("involvedObject.namespace", "FieldValueInvalid", $"Invalid value: \"{involvedNs}\": does not match event.namespace"));
                }

                if (obj["eventTime"] is not null)
                {
                    foreach (var field in new[] { "reportingComponent", "reportingInstance", "action", "reason" })
                    {
                        if (string.IsNullOrEmpty(Str(obj[field])))
                        {
                            causes.Add(new(field, "FieldValueRequired", "Required value"));
                        }
                    }
                }

                break;
            case ("apiextensions.k8s.io", "customresourcedefinitions"):
                causes.AddRange(ResourceRegistry.ValidateCrd(obj));
                if (causes.Count == 0)
                {
                    var spec = obj["spec"]!;
                    obj["status"] = new JsonObject
                    {
                        ["conditions"] = new JsonArray(
                            Condition("NamesAccepted", "NoConflicts", "no conflicts found", Str(Meta(obj)["creationTimestamp"])),
                            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", Str(Meta(obj)["creationTimestamp"]))),
                        ["acceptedNames"] = spec["names"]!.DeepClone(),
                        ["storedVersions"] = new JsonArray(((JsonArray)spec["versions"]!).Where(v => v?["storage"]?.GetValue<bool>() == true)
                            .Select(v => (JsonNode?)JsonValue.Create(Str(v!["name"]))).ToArray()),
                    };
                }

                break;
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();
}
