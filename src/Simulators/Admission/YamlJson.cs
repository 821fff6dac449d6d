using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EksOperator.Simulators.Kubernetes.Admission;

/// <summary>
/// YAML (one or more documents) to JSON, the one converter of the simulators (API bodies, CRD files, samples).
/// Plain scalars are typed as kubectl and the apiserver type them: sigs.k8s.io/yaml decodes with go-yaml v2, whose
/// resolver is YAML 1.1's, not the 1.2 core schema. So <c>1e3</c> is the number 1000, <c>0x1F</c> is 31,
/// <c>1_000</c> is 1000, and <c>yes</c>/<c>on</c>/<c>y</c> are true. Timestamps stay strings (go-yaml v2 keeps
/// them as strings when decoding into an untyped value), and <c>.inf</c>/<c>.nan</c> are refused, as Go's JSON
/// encoder refuses them. Mapping keys are taken verbatim (sigs.k8s.io/yaml would turn <c>on:</c> into "true").
/// </summary>
public static partial class YamlJson
{
    /// <summary>Every document of <paramref name="yaml"/> that is not empty or null, as JSON.</summary>
    public static IReadOnlyList<JsonNode> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        return [.. stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonNode>()];
    }

    /// <summary>The first non-empty document of <paramref name="yaml"/>, or null when there is none.</summary>
    public static JsonNode? Parse(string yaml) => ParseAll(yaml).FirstOrDefault();

    /// <summary>The single document of <paramref name="yaml"/> as a JSON object.</summary>
    public static JsonObject ParseObject(string yaml) =>
        ParseAll(yaml) is [JsonObject obj] ? obj : throw new FormatException("expected exactly one YAML mapping document");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
            case ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF":
                throw new FormatException($"the YAML value {value} has no JSON representation");
        }

        return Number(value) ?? JsonValue.Create(value);
    }

    /// <summary>go-yaml v2's number rules for a plain scalar that starts with a digit, a sign or a dot.</summary>
    private static JsonValue? Number(string value)
    {
        if (value[0] == '.')
        {
            // go-yaml reads a leading dot as a float without its syntax check (".5", ".5e3").
            return double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var fraction)
                ? JsonValue.Create(fraction)
                : null;
        }

        if (!char.IsAsciiDigit(value[0]) && value[0] is not ('+' or '-'))
        {
            return null;
        }

        var plain = value.Replace("_", "", StringComparison.Ordinal);
        if (Integer(plain) is { } integer)
        {
            return integer;
        }

        // After the integer bases: "08" is no octal, so it is the float 8, as in go-yaml.
        return YamlStyleFloat().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : null;
    }

    /// <summary>Go's strconv.ParseInt(s, 0, 64), then ParseUint: decimal, 0x hex, 0o or leading-0 octal, 0b binary.</summary>
    private static JsonValue? Integer(string plain)
    {
        var negative = plain.StartsWith('-');
        var digits = plain.TrimStart('+', '-');
        if (digits.Length == 0 || plain.Length - digits.Length > 1)
        {
            return null;
        }

        var (radix, body) = digits switch
        {
            ['0', 'x' or 'X', .. var rest] => (16, rest),
            ['0', 'o' or 'O', .. var rest] => (8, rest),
            ['0', 'b' or 'B', .. var rest] => (2, rest),
            ['0', _, ..] => (8, digits[1..]),
            _ => (10, digits),
        };
        if (body.Length == 0)
        {
            return null;
        }

        System.Numerics.BigInteger magnitude = 0;
        foreach (var c in body)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : int.MaxValue;
            if (digit >= radix)
            {
                return null;
            }

            magnitude = (magnitude * radix) + digit;
        }

        var signed = negative ? -magnitude : magnitude;
        if (signed >= long.MinValue && signed <= long.MaxValue)
        {
            return JsonValue.Create((long)signed);
        }

        return !negative && signed <= ulong.MaxValue ? JsonValue.Create((ulong)signed) : null;
    }

    // go-yaml v2's own float syntax (resolve.go), stricter than what double.TryParse accepts.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();
}
