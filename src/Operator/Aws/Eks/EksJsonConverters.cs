using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>
/// Enum ⇄ AWS spelling (from <see cref="JsonStringEnumMemberNameAttribute"/>); unknown spellings read as the zero value
/// so a status AWS introduces later does not break every Describe.
/// </summary>
internal sealed class AwsEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName = typeof(TEnum)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>() is not null)
        .ToDictionary(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name, f => (TEnum)f.GetValue(null)!, StringComparer.Ordinal);

    private static readonly Dictionary<TEnum, string> ByValue = ByName.ToDictionary(p => p.Value, p => p.Key);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value) ? value : default;

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!ByValue.TryGetValue(value, out var name))
        {
            throw new JsonException($"{typeof(TEnum).Name}.{value} has no AWS spelling");
        }

        writer.WriteStringValue(name);
    }

    /// <summary>AWS's spelling of a value.</summary>
    public static string ToAws(TEnum value) => ByValue.TryGetValue(value, out var name) ? name : value.ToString();
}

/// <summary>restJson1 timestamps: epoch seconds as a JSON number with a fraction (1527807879.988). ISO strings are accepted on read.</summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return FromSeconds(reader.GetDecimal());
        }

        var text = reader.GetString();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromSeconds(seconds);
        }

        return DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
    }

    private static DateTimeOffset FromSeconds(decimal seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000m, MidpointRounding.AwayFromZero));
}
