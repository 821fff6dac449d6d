using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime.Tests;

/// <summary>A custom resource of the tests' own (group test.example.com), with a status subresource.</summary>
[KubernetesEntity(Group = "test.example.com", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class TestWidget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "test.example.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }

    [JsonPropertyName("cluster")]
    public string? Cluster { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("seenSize")]
    public int? SeenSize { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
