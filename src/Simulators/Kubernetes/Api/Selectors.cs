using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Json;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Label selector (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>k</c>, <c>!k</c>).</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in SplitTerms(text))
        {
            selector._requirements.Add(ParseTerm(term.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (_requirements.Count == 0)
        {
            return true;
        }

        var labels = (obj["metadata"]?["labels"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
        return _requirements.All(r => r(labels));
    }

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseTerm(string term)
    {
        if (term.Length == 0)
        {
            throw ApiException.BadRequest("unable to parse requirement: found '', expected: identifier");
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$");
        if (setMatch.Success)
        {
            var key = Key(setMatch.Groups[1].Value);
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
            return setMatch.Groups[2].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var key = Key(term[..at].Trim());
            var value = term[(at + op.Length)..].Trim();
            Value(value);
            return op == "!="
                ? labels => !labels.TryGetValue(key, out var v) || v != value
                : labels => labels.TryGetValue(key, out var v) && v == value;
        }

        if (term.StartsWith('!'))
        {
            var key = Key(term[1..].Trim());
            return labels => !labels.ContainsKey(key);
        }

        var exists = Key(term);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static void Value(string value)
    {
        if (value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label value: \"{value}\"");
        }
    }
}

/// <summary>Field selector: <c>f=v</c>, <c>f==v</c>, <c>f!=v</c> over the fields a kind supports.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, bool Equal, string Value)> _terms = [];

    public static FieldSelector Parse(string? text, Func<string, bool> supported)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
            var equal = term.IndexOf('=', StringComparison.Ordinal);
            if (equal < 0)
            {
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }

            var (field, value, isEqual) = notEqual >= 0
                ? (term[..notEqual], term[(notEqual + 2)..], false)
                : (term[..equal], term[(equal + 1)..].TrimStart('='), true);
            field = field.Trim();
            if (!supported(field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            selector._terms.Add((field, isEqual, value.Trim()));
        }

        return selector;
    }

    public bool Matches(JsonObject obj) => _terms.All(t =>
    {
        var actual = JsonPathLite.Evaluate(obj, "." + t.Field) is [var first, ..] ? JsonPathLite.Text(first) ?? "" : "";
        return (actual == t.Value) == t.Equal;
    });
}
