using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>metav1.ListOptions of a list or watch, as decoded from the query.</summary>
internal sealed record ListQuery(
    string? LabelSelector,
    string? FieldSelector,
    bool Watch,
    bool AllowWatchBookmarks,
    string? ResourceVersion,
    string? ResourceVersionMatch,
    long? TimeoutSeconds,
    long Limit,
    string? Continue,
    bool? SendInitialEvents);

/// <summary>metav1.CreateOptions, UpdateOptions or PatchOptions (Force is PatchOptions only).</summary>
internal sealed record WriteQuery(bool DryRun, string? FieldManager, string FieldValidation, bool? Force);

/// <summary>metav1.DeleteOptions, from the request body when it has one, else from the query.</summary>
internal sealed record DeleteQuery(long? GracePeriodSeconds, bool? OrphanDependents, string? PropagationPolicy, bool DryRun)
{
    /// <summary>The policy the delete follows: <c>orphanDependents: true</c> is the old spelling of Orphan.</summary>
    public string? EffectivePolicy => OrphanDependents == true ? "Orphan" : PropagationPolicy;
}

/// <summary>Query parameters read as the apiserver's parameter codec (apimachinery runtime conversions) reads them,
/// then validated as the apiserver validates the options. The one place that turns query strings into values:
/// <list type="bullet">
/// <item>booleans: absent is false; <c>0</c> and <c>false</c> in any case are false; anything else, even an empty
/// value, is true (so the Python client's <c>watch=True</c> is a watch);</item>
/// <item>integers: Go's <c>strconv.ParseInt</c>, base 10; anything else is a 400 BadRequest;</item>
/// <item>option values the apiserver validates (dryRun, fieldValidation, fieldManager, force, propagationPolicy,
/// resourceVersionMatch, sendInitialEvents) are a 422 Invalid naming the options kind, as the apiserver's.</item>
/// </list>
/// Only <c>pretty</c> is read with Go's <c>strconv.ParseBool</c>, where an invalid value is false (see <see cref="Pretty"/>).</summary>
internal static class QueryParameters
{
    private const int FieldManagerMaxLength = 128;

    private static readonly string[] FieldValidations = ["", "Ignore", "Strict", "Warn"];

    private static readonly string[] Policies = ["Foreground", "Background", "Orphan"];

    /// <summary>apimachinery <c>Convert_Slice_string_To_bool</c>: absent, <c>0</c> or <c>false</c> (any case) is false.</summary>
    public static bool Bool(StringValues values) => OptionalBool(values) ?? false;

    /// <summary><c>Convert_Slice_string_To_Pointer_bool</c>: as <see cref="Bool"/>, but absent stays null.</summary>
    public static bool? OptionalBool(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var first = values[0] ?? "";
        return !(first == "0" || string.Equals(first, "false", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Go's <c>strconv.ParseBool</c>: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; else null.</summary>
    public static bool? ParseBool(string? value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary><c>Convert_Slice_string_To_Pointer_int64</c>: absent is null; otherwise Go's <c>strconv.ParseInt(s, 10, 64)</c>,
    /// whose error becomes a 400 BadRequest with Go's message.</summary>
    public static long? Int64(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var text = values[0] ?? "";
        return ParseInt64(text, out var value) switch
        {
            Int64Result.Ok => value,
            Int64Result.Range => throw ApiException.BadRequest($"strconv.ParseInt: parsing {GoQuote(text)}: value out of range"),
            _ => throw ApiException.BadRequest($"strconv.ParseInt: parsing {GoQuote(text)}: invalid syntax"),
        };
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 10, 64)</c>: an optional sign, then one or more ASCII digits.</summary>
    public static Int64Result ParseInt64(string text, out long value)
    {
        value = 0;
        var digits = text.AsSpan();
        if (digits.Length > 0 && digits[0] is '+' or '-')
        {
            digits = digits[1..];
        }

        if (digits.Length == 0)
        {
            return Int64Result.Syntax;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return Int64Result.Syntax;
            }
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? Int64Result.Ok : Int64Result.Range;
    }

    /// <summary>The apiserver's negotiation.isPrettyPrint: a non-empty <c>pretty</c> decides (<see cref="ParseBool"/>, an
    /// invalid value is false); without one, curl, Wget and browsers get indented JSON. Watch streams are never indented.</summary>
    public static bool Pretty(HttpRequest request)
    {
        if (String(request.Query["pretty"]) is { Length: > 0 } pretty)
        {
            return ParseBool(pretty) ?? false;
        }

        var agent = request.Headers.UserAgent.ToString();
        return agent.StartsWith("curl", StringComparison.Ordinal) || agent.StartsWith("Wget", StringComparison.Ordinal)
            || agent.StartsWith("Mozilla/5.0", StringComparison.Ordinal);
    }

    /// <summary>The first value of a string parameter (<c>Convert_Slice_string_To_string</c>), or null when absent.</summary>
    public static string? String(StringValues values) => values.Count == 0 ? null : values[0] ?? "";

    /// <summary>ListOptions for list and watch: decoded (400) then validated (422 ListOptions.meta.k8s.io).</summary>
    public static ListQuery List(IQueryCollection query)
    {
        var options = new ListQuery(
            LabelSelector: String(query["labelSelector"]),
            FieldSelector: String(query["fieldSelector"]),
            Watch: Bool(query["watch"]),
            AllowWatchBookmarks: Bool(query["allowWatchBookmarks"]),
            ResourceVersion: String(query["resourceVersion"]),
            ResourceVersionMatch: String(query["resourceVersionMatch"]),
            TimeoutSeconds: Int64(query["timeoutSeconds"]),
            Limit: Int64(query["limit"]) ?? 0,
            Continue: String(query["continue"]),
            SendInitialEvents: OptionalBool(query["sendInitialEvents"]));
        var causes = new List<Cause>();
        var match = options.ResourceVersionMatch ?? "";
        if (options.Watch)
        {
            if (options.SendInitialEvents is not null && match != "NotOlderThan")
            {
                causes.Add(Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            if (match.Length > 0)
            {
                if (options.SendInitialEvents is null)
                {
                    causes.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
                }

                if (match != "NotOlderThan")
                {
                    causes.Add(NotSupported("resourceVersionMatch", Quoted(match), ["NotOlderThan"]));
                }

                if (!string.IsNullOrEmpty(options.Continue))
                {
                    causes.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                }
            }
        }
        else
        {
            if (match.Length > 0)
            {
                if (string.IsNullOrEmpty(options.ResourceVersion))
                {
                    causes.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
                }

                if (!string.IsNullOrEmpty(options.Continue))
                {
                    causes.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                }

                if (match is not ("Exact" or "NotOlderThan"))
                {
                    causes.Add(NotSupported("resourceVersionMatch", Quoted(match), ["Exact", "NotOlderThan", ""]));
                }

                if (match == "Exact" && options.ResourceVersion == "0")
                {
                    causes.Add(Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
                }
            }

            if (options.SendInitialEvents is not null)
            {
                causes.Add(Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
            }
        }

        return causes.Count == 0 ? options : throw ApiException.Invalid("ListOptions", "meta.k8s.io", "", causes);
    }

    /// <summary>CreateOptions, UpdateOptions or PatchOptions (<paramref name="kind"/>); <paramref name="apply"/> for an
    /// apply patch, which needs a fieldManager and is the only patch that may set force.</summary>
    public static WriteQuery Write(IQueryCollection query, string kind, bool apply = false)
    {
        var dryRun = query["dryRun"];
        var options = new WriteQuery(
            DryRun: dryRun.Count > 0,
            FieldManager: String(query["fieldManager"]),
            FieldValidation: String(query["fieldValidation"]) ?? "",
            Force: kind == "PatchOptions" ? OptionalBool(query["force"]) : null);
        var causes = new List<Cause>();
        if (kind == "PatchOptions")
        {
            if (apply && string.IsNullOrEmpty(options.FieldManager))
            {
                causes.Add(new("fieldManager", "FieldValueRequired", "Required value: is required for apply patch"));
            }
            else if (!apply && options.Force is not null)
            {
                causes.Add(Forbidden("force", "may not be specified for non-apply patch"));
            }
        }

        causes.AddRange(FieldManagerCauses(options.FieldManager ?? ""));
        causes.AddRange(DryRunCauses([.. dryRun.Select(v => v ?? "")]));
        if (!FieldValidations.Contains(options.FieldValidation, StringComparer.Ordinal))
        {
            causes.Add(NotSupported("fieldValidation", Quoted(options.FieldValidation), FieldValidations));
        }

        return causes.Count == 0 ? options : throw ApiException.Invalid(kind, "meta.k8s.io", "", causes);
    }

    /// <summary>DeleteOptions: from <paramref name="body"/> when the request has one (the query is then not read, as
    /// the apiserver does), else from the query; validated (422 DeleteOptions.meta.k8s.io).</summary>
    public static DeleteQuery Delete(JsonObject? body, IQueryCollection query)
    {
        DeleteQuery options;
        IReadOnlyList<string> dryRun;
        if (body is not null)
        {
            dryRun = body["dryRun"] is JsonArray values ? [.. values.Select(v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : v?.ToJsonString() ?? "")] : [];
            options = new DeleteQuery(
                body["gracePeriodSeconds"] is JsonValue grace && grace.TryGetValue<long>(out var seconds) ? seconds : null,
                body["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var o) ? o : null,
                body["propagationPolicy"] is JsonValue policy && policy.TryGetValue<string>(out var p) ? p : null,
                dryRun.Count > 0);
        }
        else
        {
            dryRun = [.. query["dryRun"].Select(v => v ?? "")];
            options = new DeleteQuery(
                Int64(query["gracePeriodSeconds"]),
                OptionalBool(query["orphanDependents"]),
                String(query["propagationPolicy"]),
                dryRun.Count > 0);
        }

        var causes = new List<Cause>();
        if (options.OrphanDependents is not null && options.PropagationPolicy is not null)
        {
            causes.Add(new("propagationPolicy", "FieldValueInvalid", $"Invalid value: {Quoted(options.PropagationPolicy)}: orphanDependents and deletionPropagation cannot be both set"));
        }

        if (options.PropagationPolicy is { } given && !Policies.Contains(given, StringComparer.Ordinal))
        {
            causes.Add(NotSupported("propagationPolicy", Quoted(given), [.. Policies, "nil"]));
        }

        causes.AddRange(DryRunCauses(dryRun));
        return causes.Count == 0 ? options : throw ApiException.Invalid("DeleteOptions", "meta.k8s.io", "", causes);
    }

    private static IEnumerable<Cause> DryRunCauses(IReadOnlyList<string> values)
    {
        if (values.Any(v => v != "All"))
        {
            yield return NotSupported("dryRun", JsonSerializer.Serialize(values), ["All"]);
        }
    }

    private static IEnumerable<Cause> FieldManagerCauses(string fieldManager)
    {
        if (Encoding.UTF8.GetByteCount(fieldManager) > FieldManagerMaxLength)
        {
            yield return new("fieldManager", "FieldValueTooLong", $"Too long: may not be more than {FieldManagerMaxLength} bytes");
        }

        var position = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!IsPrint(rune))
            {
                yield return new("fieldManager", "FieldValueInvalid",
                    $"Invalid value: {Quoted(fieldManager)}: invalid character U+{rune.Value:X4} (at position {position})");
            }

            position += rune.Utf8SequenceLength;
        }
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };

    private static Cause Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    private static Cause NotSupported(string field, string shownValue, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {shownValue}: supported values: {string.Join(", ", supported.Select(Quoted))}");

    private static string Quoted(string value) => GoQuote(value);

    /// <summary>Go's <c>%q</c> for the printable ASCII range and the common escapes (enough for error messages).</summary>
    internal static string GoQuote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\v' => "\\v",
                < ' ' or '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>The outcome of <see cref="QueryParameters.ParseInt64"/>, as Go's strconv errors name it.</summary>
internal enum Int64Result
{
    Ok,
    Syntax,
    Range,
}
