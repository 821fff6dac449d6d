using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksOperator.TestSupport;

/// <summary>
/// Writes a JSON value as a Lua table literal, the shape Argo CD hands a health script as <c>obj</c>
/// (objects become tables with string keys, arrays 1-based sequences, JSON null is absent).
/// </summary>
public static class LuaTable
{
    public static string From(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("nil");
                break;
            case JsonObject obj:
                text.Append('{');
                foreach (var (key, value) in obj)
                {
                    if (value is null)
                    {
                        continue; // a Lua table cannot hold nil: the key is simply absent, as in Argo CD
                    }

                    text.Append('[').Append(Quote(key)).Append("]=");
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('{');
                foreach (var item in array)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        text.Append(Quote(value.GetValue<string>()));
                        break;
                    case JsonValueKind.Number:
                        text.Append(value.ToJsonString()); // a JSON number is also a Lua numeral
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    default:
                        text.Append("nil");
                        break;
                }

                break;
            default:
                throw new NotSupportedException(node.GetType().Name);
        }
    }

    /// <summary>A Lua string literal: every byte outside printable ASCII, quotes and backslashes as decimal escapes.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return text.Append('"').ToString();
    }
}
