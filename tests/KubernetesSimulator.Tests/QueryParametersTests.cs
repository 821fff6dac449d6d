using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>The query decoder against the apiserver's rules (apimachinery's string conversions and the options
/// validation), table-driven.</summary>
public sealed class QueryParametersTests
{
    private static IQueryCollection Query(string query) => new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));

    private static ApiException Fails(Action action) => Assert.Throws<ApiException>(action);

    [Theory]
    [InlineData(null, false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("yes", true)] // anything but 0 and false is true, as apimachinery's Convert_Slice_string_To_bool
    [InlineData("", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    [InlineData("fAlSe", false)]
    [InlineData("0", false)]
    [InlineData("f", true)]
    public void Booleans_follow_the_apiserver_parameter_codec(string? value, bool expected) =>
        Assert.Equal(expected, QueryParameters.Bool(value is null ? StringValues.Empty : new StringValues(value)));

    [Fact]
    public void Optional_booleans_stay_null_when_absent_and_read_the_first_value()
    {
        Assert.Null(QueryParameters.OptionalBool(StringValues.Empty));
        Assert.False(QueryParameters.OptionalBool(new StringValues(["false", "true"])));
        Assert.True(QueryParameters.OptionalBool(new StringValues(["True", "false"])));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    [InlineData("tRUE", null)]
    [InlineData("yes", null)]
    [InlineData("", null)]
    [InlineData(" true", null)]
    public void ParseBool_is_Go_strconv_ParseBool(string value, bool? expected) =>
        Assert.Equal(expected, QueryParameters.ParseBool(value));

    [Theory]
    [InlineData("0", "Ok", 0L)]
    [InlineData("42", "Ok", 42L)]
    [InlineData("+42", "Ok", 42L)]
    [InlineData("-7", "Ok", -7L)]
    [InlineData("007", "Ok", 7L)]
    [InlineData("9223372036854775807", "Ok", long.MaxValue)]
    [InlineData("-9223372036854775808", "Ok", long.MinValue)]
    [InlineData("9223372036854775808", "Range", 0L)]
    [InlineData("", "Syntax", 0L)]
    [InlineData("+", "Syntax", 0L)]
    [InlineData("abc", "Syntax", 0L)]
    [InlineData("1.5", "Syntax", 0L)]
    [InlineData("1e3", "Syntax", 0L)]
    [InlineData(" 1", "Syntax", 0L)]
    [InlineData("1 ", "Syntax", 0L)]
    [InlineData("1_000", "Syntax", 0L)]
    [InlineData("0x10", "Syntax", 0L)]
    [InlineData("١٢", "Syntax", 0L)] // non-ASCII digits
    public void Integers_are_Go_strconv_ParseInt_base_10(string text, string expected, long value)
    {
        Assert.Equal(expected, QueryParameters.ParseInt64(text, out var parsed).ToString());
        if (expected == "Ok")
        {
            Assert.Equal(value, parsed);
        }
    }

    [Theory]
    [InlineData("limit=abc", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("limit=", "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("timeoutSeconds=1.5", "strconv.ParseInt: parsing \"1.5\": invalid syntax")]
    [InlineData("watch=1&timeoutSeconds=99999999999999999999", "strconv.ParseInt: parsing \"99999999999999999999\": value out of range")]
    public void Bad_integers_in_list_options_are_a_400_with_Go_s_message(string query, string message)
    {
        var error = Fails(() => QueryParameters.List(Query(query)));
        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void List_options_decode_every_field()
    {
        var options = QueryParameters.List(Query("labelSelector=a%3Db&fieldSelector=metadata.name%3Dx&watch=True&allowWatchBookmarks=TRUE&resourceVersion=5&timeoutSeconds=30&limit=2&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"));
        Assert.Equal(new ListQuery("a=b", "metadata.name=x", true, true, "5", "NotOlderThan", 30, 2, null, true), options);
        Assert.Equal(new ListQuery(null, null, false, false, null, null, null, 0, null, null), QueryParameters.List(Query("")));
    }

    [Theory]
    [InlineData("resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("resourceVersion=1&resourceVersionMatch=exact", "resourceVersionMatch: Unsupported value: \"exact\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("resourceVersion=0&resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    [InlineData("watch=1&sendInitialEvents=true", "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    [InlineData("watch=1&resourceVersionMatch=NotOlderThan", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    public void Invalid_list_options_are_a_422_naming_the_field(string query, string cause)
    {
        var error = Fails(() => QueryParameters.List(Query(query)));
        Assert.Equal(422, error.Code);
        Assert.Equal($"ListOptions.meta.k8s.io \"\" is invalid: {cause}", error.Message);
    }

    [Theory]
    [InlineData("", false, "", null)]
    [InlineData("dryRun=All&fieldManager=me&fieldValidation=Strict", true, "Strict", "me")]
    [InlineData("dryRun=All&dryRun=All&fieldValidation=Ignore", true, "Ignore", null)]
    [InlineData("fieldValidation=Warn&fieldManager=", false, "Warn", "")]
    public void Write_options_decode(string query, bool dryRun, string fieldValidation, string? fieldManager)
    {
        var options = QueryParameters.Write(Query(query), "CreateOptions");
        Assert.Equal(new WriteQuery(dryRun, fieldManager, fieldValidation, null), options);
    }

    [Theory]
    [InlineData("CreateOptions", "dryRun=true", false, "dryRun: Unsupported value: [\"true\"]: supported values: \"All\"")]
    [InlineData("UpdateOptions", "dryRun=", false, "dryRun: Unsupported value: [\"\"]: supported values: \"All\"")]
    [InlineData("PatchOptions", "dryRun=All&dryRun=Some", false, "dryRun: Unsupported value: [\"All\",\"Some\"]: supported values: \"All\"")]
    [InlineData("CreateOptions", "fieldValidation=strict", false, "fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")]
    [InlineData("PatchOptions", "force=false", false, "force: Forbidden: may not be specified for non-apply patch")]
    [InlineData("PatchOptions", "force=", false, "force: Forbidden: may not be specified for non-apply patch")]
    [InlineData("PatchOptions", "force=true", true, "fieldManager: Required value: is required for apply patch")]
    [InlineData("CreateOptions", "fieldManager=a%01b", false, "fieldManager: Invalid value: \"a\\x01b\": invalid character U+0001 (at position 1)")]
    public void Invalid_write_options_are_a_422_naming_the_options_kind(string kind, string query, bool apply, string cause)
    {
        var error = Fails(() => QueryParameters.Write(Query(query), kind, apply));
        Assert.Equal(422, error.Code);
        Assert.Equal($"{kind}.meta.k8s.io \"\" is invalid: {cause}", error.Message);
    }

    [Fact]
    public void A_field_manager_over_128_bytes_is_too_long()
    {
        Assert.Equal("me", QueryParameters.Write(Query("fieldManager=me&force=true"), "PatchOptions", apply: true).FieldManager);
        Assert.NotNull(QueryParameters.Write(Query($"fieldManager={new string('m', 128)}"), "CreateOptions").FieldManager);
        var error = Fails(() => QueryParameters.Write(Query($"fieldManager={new string('m', 129)}"), "CreateOptions"));
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes", error.Message);
    }

    [Fact]
    public void Delete_options_come_from_the_body_when_there_is_one_else_from_the_query()
    {
        var query = Query("propagationPolicy=Orphan&dryRun=All&gracePeriodSeconds=5");
        Assert.Equal(new DeleteQuery(5, null, "Orphan", true), QueryParameters.Delete(null, query));
        var body = new JsonObject { ["propagationPolicy"] = "Foreground" };
        Assert.Equal(new DeleteQuery(null, null, "Foreground", false), QueryParameters.Delete(body, query));
        Assert.Equal("Orphan", QueryParameters.Delete(new JsonObject { ["orphanDependents"] = true }, query).EffectivePolicy);
        Assert.Equal("Orphan", QueryParameters.Delete(null, Query("orphanDependents=True")).EffectivePolicy);
        Assert.Null(QueryParameters.Delete(null, Query("orphanDependents=false")).EffectivePolicy);
        Assert.True(QueryParameters.Delete(new JsonObject { ["dryRun"] = new JsonArray("All") }, Query("")).DryRun);
    }

    [Theory]
    [InlineData("propagationPolicy=background", "propagationPolicy: Unsupported value: \"background\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]
    [InlineData("orphanDependents=true&propagationPolicy=Orphan", "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set")]
    [InlineData("dryRun=1", "dryRun: Unsupported value: [\"1\"]: supported values: \"All\"")]
    public void Invalid_delete_options_are_a_422(string query, string cause)
    {
        var error = Fails(() => QueryParameters.Delete(null, Query(query)));
        Assert.Equal(422, error.Code);
        Assert.Equal($"DeleteOptions.meta.k8s.io \"\" is invalid: {cause}", error.Message);
    }

    [Fact]
    public void Bad_grace_period_in_the_query_is_a_400()
    {
        var error = Fails(() => QueryParameters.Delete(null, Query("gracePeriodSeconds=soon")));
        Assert.Equal(400, error.Code);
        Assert.Equal("strconv.ParseInt: parsing \"soon\": invalid syntax", error.Message);
    }

    [Theory]
    [InlineData("pretty=true", "", true)]
    [InlineData("pretty=T", "", true)]
    [InlineData("pretty=yes", "curl/8.5.0", false)] // not a Go bool: false, whoever asks
    [InlineData("pretty=0", "curl/8.5.0", false)]
    [InlineData("pretty=", "curl/8.5.0", true)] // empty: the user agent decides
    [InlineData("", "curl/8.5.0", true)]
    [InlineData("", "Wget/1.21", true)]
    [InlineData("", "Mozilla/5.0 (X11)", true)]
    [InlineData("", "kubectl/v1.33.0 (linux/amd64) kubernetes/abcdef", false)]
    [InlineData("", "OpenAPI-Generator/22.6.0/python", false)]
    public void Pretty_follows_the_apiserver_negotiation(string query, string userAgent, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query.Length == 0 ? "" : "?" + query);
        http.Request.Headers.UserAgent = userAgent;
        Assert.Equal(expected, QueryParameters.Pretty(http.Request));
    }
}
