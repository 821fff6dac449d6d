using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// One endpoint for three services: tells EKS, IAM and EC2 apart by the SigV4 credential scope's
/// service (then by Action), verifies the signature, applies faults, dispatches, logs the call.
/// </summary>
internal sealed class Pipeline(World world, AwsFaults faults, AwsCallLog calls, ControlApi control)
{
    private const int MaxBodyBytes = 1 << 20;

    private readonly EksService _eks = new(world);
    private readonly IamService _iam = new(world);
    private readonly Ec2Service _ec2 = new(world);
    private readonly SigV4Verifier _verifier = new(world.Options.AccessKeyId, world.Options.SecretAccessKey);

    public async Task HandleAsync(HttpContext ctx)
    {
        var rawTarget = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (ctx.Request.Path + ctx.Request.QueryString).ToString();
        if (rawTarget.StartsWith("/_sim/", StringComparison.Ordinal) || rawTarget == "/_sim")
        {
            await control.HandleAsync(ctx, rawTarget);
            return;
        }

        var body = await ReadBodyAsync(ctx.Request, ctx.RequestAborted);
        var requestId = Guid.NewGuid().ToString();
        var call = Classify(ctx.Request, rawTarget, body);
        SimResponse response;
        try
        {
            response = await ProcessAsync(ctx, call, rawTarget, body, requestId);
        }
        catch (AwsErrorException e)
        {
            response = Error(call.Service, e, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            response = Error(call.Service, Internal(call.Service), requestId);
        }

        calls.Record(new AwsCall(world.Now, call.Service, call.Operation, call.Resource, response.Status));
        if (response.Status == 0)
        {
            ctx.Abort();
            return;
        }

        ctx.Response.StatusCode = response.Status;
        ctx.Response.Headers["x-amzn-RequestId"] = requestId;
        ctx.Response.ContentType = response.ContentType;
        if (response.ErrorType is not null)
        {
            ctx.Response.Headers["x-amzn-ErrorType"] = response.ErrorType;
        }

        ctx.Response.ContentLength = response.Body.Length;
        await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted);
    }

    private async Task<SimResponse> ProcessAsync(HttpContext ctx, CallInfo call, string rawTarget, byte[] body, string requestId)
    {
        if (world.Options.VerifySignatures)
        {
            Authenticate(ctx.Request, call, rawTarget, body);
        }

        if (call.Unknown is { } unknown)
        {
            throw unknown;
        }

        var targeted = faults.Targets(call.Service, call.Operation);
        var latency = targeted ? faults.Latency : TimeSpan.Zero;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, world.Options.TimeProvider, ctx.RequestAborted);
        }

        if (targeted && faults.Roll(faults.DropConnectionRate))
        {
            return new SimResponse(0, string.Empty, [], null);
        }

        if ((targeted && faults.Roll(faults.ThrottleRate)) || !faults.TryAcquire(call.Service, call.Mutating))
        {
            throw call.Service switch
            {
                "eks" => new AwsErrorException(429, "ThrottlingException", "Rate exceeded"),
                "iam" => AwsErrorException.Query(400, "Throttling", "Rate exceeded"),
                _ => AwsErrorException.Query(503, "RequestLimitExceeded", "Request limit exceeded."),
            };
        }

        if (targeted && faults.Roll(faults.ServerErrorRate))
        {
            throw Internal(call.Service);
        }

        var response = Dispatch(call, requestId);
        return targeted && faults.Roll(faults.LoseResponseRate) ? new SimResponse(0, string.Empty, [], null) : response;
    }

    private SimResponse Dispatch(CallInfo call, string requestId)
    {
        switch (call.Service)
        {
            case "eks":
            {
                var json = _eks.Handle(call.EksRoute!, call.EksCall!);
                return new SimResponse(200, "application/json", Encoding.UTF8.GetBytes(json.ToJsonString()), null);
            }

            case "iam":
                return new SimResponse(200, "text/xml", Encoding.UTF8.GetBytes(_iam.Handle(call.Operation, call.Form!, requestId)), null);
            default:
                return new SimResponse(200, "text/xml;charset=UTF-8", Encoding.UTF8.GetBytes(_ec2.Handle(call.Operation, call.Form!, requestId)), null);
        }
    }

    private void Authenticate(HttpRequest request, CallInfo call, string rawTarget, byte[] body)
    {
        var claimed = SigV4Verifier.Parse(request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);
        if (claimed is not null)
        {
            var validRegion = call.Service == "iam" ? claimed.Region is "us-east-1" || claimed.Region == world.Region : claimed.Region == world.Region;
            if (!validRegion)
            {
                throw AuthError(call.Service, SigV4Failure.WrongScope, $"Credential should be scoped to a valid region, not '{claimed.Region}'.");
            }
        }

        var result = _verifier.Verify(request.Method, rawTarget, name => Header(request, name), body, TimeProvider.System.GetUtcNow());
        if (result.Failure != SigV4Failure.None)
        {
            throw AuthError(call.Service, result.Failure, result.Message);
        }
    }

    private static AwsErrorException AuthError(string service, SigV4Failure failure, string message) => (service, failure) switch
    {
        ("eks", SigV4Failure.Missing) => new(403, "MissingAuthenticationTokenException", message),
        ("eks", SigV4Failure.UnknownKey) => new(403, "UnrecognizedClientException", message),
        ("eks", _) => new(403, "InvalidSignatureException", message),
        (_, SigV4Failure.Missing) => AwsErrorException.Query(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
        ("iam", SigV4Failure.UnknownKey) => AwsErrorException.Query(403, "InvalidClientTokenId", message),
        (_, SigV4Failure.UnknownKey) => AwsErrorException.Query(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        (_, SigV4Failure.Malformed) => AwsErrorException.Query(400, "IncompleteSignature", message),
        _ => AwsErrorException.Query(403, "SignatureDoesNotMatch", message),
    };

    private static AwsErrorException Internal(string service) => service switch
    {
        "eks" => new AwsErrorException(500, "ServerException", "An internal server error occurred."),
        "iam" => AwsErrorException.Query(500, "ServiceFailure", "An internal server error occurred."),
        _ => AwsErrorException.Query(500, "InternalError", "An internal error has occurred"),
    };

    private static SimResponse Error(string service, AwsErrorException e, string requestId) => service switch
    {
        "eks" => new SimResponse(e.Status, "application/json", Encoding.UTF8.GetBytes(EksErrorBody(e).ToJsonString()), e.Code),
        "iam" => new SimResponse(e.Status, "text/xml", Encoding.UTF8.GetBytes(IamService.ErrorXml(e, requestId)), null),
        _ => new SimResponse(e.Status, "text/xml;charset=UTF-8", Encoding.UTF8.GetBytes(Ec2Service.ErrorXml(e, requestId)), null),
    };

    /// <summary>EKS error bodies list the exception's members with explicit nulls, message last (reference §2).</summary>
    private static JsonObject EksErrorBody(AwsErrorException e)
    {
        string[] members = e.Code switch
        {
            "ResourceNotFoundException" or "InvalidParameterException" => ["clusterName", "nodegroupName", "fargateProfileName", "addonName", "subscriptionId"],
            "ResourceInUseException" => ["clusterName", "nodegroupName", "addonName"],
            "InvalidRequestException" or "ClientException" or "ServerException" => ["clusterName", "nodegroupName", "addonName", "subscriptionId"],
            "ResourceLimitExceededException" => ["clusterName", "nodegroupName", "subscriptionId"],
            "ThrottlingException" or "InvalidStateException" => ["clusterName"],
            _ => [],
        };
        var body = new JsonObject();
        foreach (var m in members)
        {
            body[m] = m switch
            {
                "clusterName" => e.ClusterName,
                "nodegroupName" => e.NodegroupName,
                "fargateProfileName" => e.FargateProfileName,
                "addonName" => e.AddonName,
                _ => null,
            };
        }

        body["message"] = e.Message;
        return body;
    }

    private static CallInfo Classify(HttpRequest request, string rawTarget, byte[] body)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? string.Empty : rawTarget[q..];
        var claimed = SigV4Verifier.Parse(request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in QueryHelpers.ParseQuery(rawQuery))
        {
            form[k] = v.ToString();
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (k, v) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                form[k] = v.ToString();
            }
        }

        var action = form.GetValueOrDefault("Action");
        var service = claimed?.Service ?? (action is null ? "eks" : Ec2Service.Operations.Contains(action) ? "ec2" : "iam");
        switch (service)
        {
            case "iam" or "ec2":
            {
                var op = string.IsNullOrEmpty(action) ? "Unknown" : action;
                var resource = form.GetValueOrDefault("RoleName") ?? form.GetValueOrDefault("SubnetId.1") ?? form.GetValueOrDefault("VpcId.1") ?? form.GetValueOrDefault("GroupId.1");
                var unknown = string.IsNullOrEmpty(action)
                    ? AwsErrorException.Query(400, "MissingAction", "Missing Action")
                    : null;
                return new CallInfo(service, op, resource, service == "iam" ? IamService.IsMutating(op) : false, form, null, null, unknown);
            }

            case "eks":
            {
                var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
                var query = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var (k, v) in QueryHelpers.ParseQuery(rawQuery))
                {
                    query[k] = [.. v.Select(s => s ?? string.Empty)];
                }

                JsonObject? json = null;
                AwsErrorException? unknown = null;
                if (body.Length > 0)
                {
                    try
                    {
                        json = JsonNode.Parse(body) as JsonObject;
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        unknown = new AwsErrorException(400, "SerializationException", "The request body is not valid JSON.");
                    }
                }

                var route = EksService.Route(request.Method, segments);
                unknown ??= route is null ? new AwsErrorException(404, "UnknownOperationException", $"No operation matches {request.Method} {rawPath}") : null;
                var eksCall = route is null ? null : new EksCall(route.PathValues(segments), query, json);
                return new CallInfo("eks", route?.Operation ?? "Unknown", EksService.ResourceOf(segments, json), route?.Mutating ?? false, null, route, eksCall, unknown);
            }

            default:
                return new CallInfo(service, "Unknown", null, false, form, null, null,
                    new AwsErrorException(400, "UnknownOperationException", $"Service '{service}' is not simulated here (only eks, iam and ec2)."));
        }
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) ? string.Join(',', values.ToArray()) : null;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new BadHttpRequestException("Request body too large.", 413);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed record CallInfo(
        string Service,
        string Operation,
        string? Resource,
        bool Mutating,
        Dictionary<string, string>? Form,
        EksRoute? EksRoute,
        EksCall? EksCall,
        AwsErrorException? Unknown);

    private sealed record SimResponse(int Status, string ContentType, byte[] Body, string? ErrorType);
}
