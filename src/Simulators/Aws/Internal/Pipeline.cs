using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// One endpoint for four services: tells EKS, IAM, EC2 and STS apart by the SigV4 credential scope's service (then by
/// Action), verifies the signature, finds the account of the signing key (long-term or an STS session) and the region,
/// applies faults, dispatches to that account's state, logs the call.
/// </summary>
internal sealed class Pipeline(Tenancy tenancy, AwsFaults faults, AwsCallLog calls, ControlApi control)
{
    private const int MaxBodyBytes = 1 << 20;

    private readonly SigV4Verifier _verifier = new(key => tenancy.Resolve(key)?.Secret);
    private readonly StsService _sts = new(tenancy);

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
        var scope = new CallScope();
        SimResponse response;
        try
        {
            response = await ProcessAsync(ctx, call, rawTarget, body, requestId, scope);
        }
        catch (AwsErrorException e)
        {
            response = Error(call.Service, e, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            response = Error(call.Service, Internal(call.Service), requestId);
        }

        calls.Record(new AwsCall(tenancy.Now, call.Service, call.Operation, call.Resource, response.Status) { Account = scope.Account, Region = scope.Region, AccessKeyId = scope.AccessKeyId });
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

    private async Task<SimResponse> ProcessAsync(HttpContext ctx, CallInfo call, string rawTarget, byte[] body, string requestId, CallScope scope)
    {
        var claimed = SigV4Verifier.Parse(ctx.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);
        scope.Region = claimed is not null && tenancy.Regions.Contains(claimed.Region) ? claimed.Region : tenancy.Options.Region;
        var principal = tenancy.Options.VerifySignatures
            ? Authenticate(ctx.Request, call, rawTarget, body, claimed, scope)
            : (claimed is null ? null : tenancy.Resolve(claimed.AccessKeyId)) ?? tenancy.UserOf(tenancy.Options.AccountId);
        scope.Account = principal.Account;
        scope.AccessKeyId = claimed is not null && tenancy.Resolve(claimed.AccessKeyId) is not null ? claimed.AccessKeyId : null;
        if (call.Service is "iam" or "sts" && claimed is not null)
        {
            scope.Region = claimed.Region;
        }

        if (call.Unknown is { } unknown)
        {
            throw unknown;
        }

        var targeted = faults.Targets(call.Service, call.Operation, principal.Account);
        var latency = targeted ? faults.Latency : TimeSpan.Zero;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, tenancy.Options.TimeProvider, ctx.RequestAborted);
        }

        if (targeted && faults.Roll(faults.DropConnectionRate))
        {
            return new SimResponse(0, string.Empty, [], null);
        }

        if ((targeted && faults.Roll(faults.ThrottleRate)) || !faults.TryAcquire(call.Service, call.Mutating, principal.Account, scope.Region))
        {
            throw call.Service switch
            {
                "eks" => new AwsErrorException(429, "ThrottlingException", "Rate exceeded"),
                "iam" or "sts" => AwsErrorException.Query(400, "Throttling", "Rate exceeded"),
                _ => AwsErrorException.Query(503, "RequestLimitExceeded", "Request limit exceeded."),
            };
        }

        if (targeted && faults.Roll(faults.ServerErrorRate))
        {
            throw Internal(call.Service);
        }

        var response = Dispatch(call, principal, scope.Region, requestId);
        return targeted && faults.Roll(faults.LoseResponseRate) ? new SimResponse(0, string.Empty, [], null) : response;
    }

    private SimResponse Dispatch(CallInfo call, Principal principal, string region, string requestId)
    {
        // IAM is global: any region of the account holds the same roles; the first region's World answers.
        var target = tenancy.Find(principal.Account, call.Service is "iam" or "sts" ? tenancy.Options.Region : region)
            ?? throw new InvalidOperationException($"No state for {principal.Account} in {region}.");
        switch (call.Service)
        {
            case "eks":
            {
                var json = target.Eks.Handle(call.EksRoute!, call.EksCall!);
                return new SimResponse(200, "application/json", Encoding.UTF8.GetBytes(json.ToJsonString()), null);
            }

            case "iam":
                return new SimResponse(200, "text/xml", Encoding.UTF8.GetBytes(target.Iam.Handle(call.Operation, call.Form!, requestId)), null);
            case "sts":
                return new SimResponse(200, "text/xml", Encoding.UTF8.GetBytes(_sts.Handle(call.Operation, call.Form!, principal, requestId)), null);
            default:
                return new SimResponse(200, "text/xml;charset=UTF-8", Encoding.UTF8.GetBytes(target.Ec2.Handle(call.Operation, call.Form!, requestId)), null);
        }
    }

    /// <summary>Checks the scope's region, the signature and, for temporary keys, the session token and its expiry; returns who signed.</summary>
    private Principal Authenticate(HttpRequest request, CallInfo call, string rawTarget, byte[] body, SigV4Credential? claimed, CallScope scope)
    {
        if (claimed is not null)
        {
            // IAM and STS have global endpoints signed for us-east-1; the regional endpoints of served regions work too.
            var validRegion = tenancy.Regions.Contains(claimed.Region) || (call.Service is "iam" or "sts" && claimed.Region == "us-east-1");
            if (!validRegion)
            {
                throw AuthError(call.Service, SigV4Failure.WrongScope, $"Credential should be scoped to a valid region, not '{claimed.Region}'.");
            }
        }

        var result = _verifier.Verify(request.Method, rawTarget, name => Header(request, name), body, TimeProvider.System.GetUtcNow());
        var principal = claimed is null ? null : tenancy.Resolve(claimed.AccessKeyId);
        scope.Account = principal?.Account;
        if (result.Failure != SigV4Failure.None || principal is null)
        {
            throw AuthError(call.Service, result.Failure, result.Message);
        }

        var token = Header(request, "x-amz-security-token");
        if (!string.Equals(token, principal.SessionToken, StringComparison.Ordinal))
        {
            throw AuthError(call.Service, SigV4Failure.UnknownKey, "The security token included in the request is invalid.");
        }

        if (principal.Expiration is { } expiration && tenancy.Now >= expiration)
        {
            throw AuthError(call.Service, SigV4Failure.ExpiredToken, "The security token included in the request is expired");
        }

        return principal;
    }

    private static AwsErrorException AuthError(string service, SigV4Failure failure, string message) => (service, failure) switch
    {
        ("eks", SigV4Failure.Missing) => new(403, "MissingAuthenticationTokenException", message),
        ("eks", SigV4Failure.UnknownKey) => new(403, "UnrecognizedClientException", message),
        ("eks", SigV4Failure.ExpiredToken) => new(403, "ExpiredTokenException", message),
        ("eks", _) => new(403, "InvalidSignatureException", message),
        (_, SigV4Failure.Missing) => AwsErrorException.Query(403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
        ("iam" or "sts", SigV4Failure.UnknownKey) => AwsErrorException.Query(403, "InvalidClientTokenId", message),
        ("iam" or "sts", SigV4Failure.ExpiredToken) => AwsErrorException.Query(403, "ExpiredToken", message),
        // EC2's error list: RequestExpired covers "temporary security credentials [that] have expired".
        (_, SigV4Failure.ExpiredToken) => AwsErrorException.Query(400, "RequestExpired", "Request has expired."),
        (_, SigV4Failure.UnknownKey) => AwsErrorException.Query(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        (_, SigV4Failure.Malformed) => AwsErrorException.Query(400, "IncompleteSignature", message),
        _ => AwsErrorException.Query(403, "SignatureDoesNotMatch", message),
    };

    private static AwsErrorException Internal(string service) => service switch
    {
        "eks" => new AwsErrorException(500, "ServerException", "An internal server error occurred."),
        "iam" or "sts" => AwsErrorException.Query(500, "ServiceFailure", "An internal server error occurred."),
        _ => AwsErrorException.Query(500, "InternalError", "An internal error has occurred"),
    };

    private static SimResponse Error(string service, AwsErrorException e, string requestId) => service switch
    {
        "eks" => new SimResponse(e.Status, "application/json", Encoding.UTF8.GetBytes(EksErrorBody(e).ToJsonString()), e.Code),
        "iam" => new SimResponse(e.Status, "text/xml", Encoding.UTF8.GetBytes(IamService.ErrorXml(e, requestId)), null),
        "sts" => new SimResponse(e.Status, "text/xml", Encoding.UTF8.GetBytes(StsService.ErrorXml(e, requestId)), null),
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
        var service = claimed?.Service ?? (action is null ? "eks" : Ec2Service.Operations.Contains(action) ? "ec2" : StsService.Operations.Contains(action) ? "sts" : "iam");
        switch (service)
        {
            case "iam" or "ec2" or "sts":
            {
                var op = string.IsNullOrEmpty(action) ? "Unknown" : action;
                var resource = form.GetValueOrDefault("RoleName") ?? form.GetValueOrDefault("RoleArn") ?? form.GetValueOrDefault("SubnetId.1") ?? form.GetValueOrDefault("VpcId.1") ?? form.GetValueOrDefault("GroupId.1");
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
                    new AwsErrorException(400, "UnknownOperationException", $"Service '{service}' is not simulated here (only eks, iam, ec2 and sts)."));
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

    /// <summary>Whose call it was, filled in as the request is authenticated (for the call log).</summary>
    private sealed class CallScope
    {
        public string? Account { get; set; }

        public string? AccessKeyId { get; set; }

        public string Region { get; set; } = string.Empty;
    }

    private sealed record SimResponse(int Status, string ContentType, byte[] Body, string? ErrorType);
}
