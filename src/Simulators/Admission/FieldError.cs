namespace EksOperator.Simulators.Kubernetes.Admission;

/// <summary>
/// One rejected field, shaped like the apiserver's field.Error: <see cref="Field"/> is the path
/// ("spec.scaling.minSize"), <see cref="Reason"/> the cause type ("FieldValueInvalid"), <see cref="Message"/>
/// the detail as kubectl prints it after the field ("Invalid value: 5: ...").
/// </summary>
public sealed record FieldError(string Field, string Reason, string Message)
{
    /// <summary>The line the apiserver prints for this error: "field: message".</summary>
    public override string ToString() => $"{Field}: {Message}";
}
