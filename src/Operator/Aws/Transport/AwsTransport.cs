using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using RequestMetrics = Amazon.Runtime.Internal.Util.RequestMetrics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EksOperator.Aws.Transport;

/// <summary>
/// Sends one service's requests: client-side token bucket, SigV4 by AWSSDK.Core, HTTP, error reading and
/// AWS "standard" retry semantics (full-jitter exponential backoff on throttling, 5xx and connection failures).
/// Every attempt takes a token and is signed afresh.
/// </summary>
internal sealed partial class AwsTransport
{
    private readonly HttpClient _http;
    private readonly AwsServiceEndpoint _endpoint;
    private readonly AwsServiceOptions _limits;
    private readonly AwsOptions _options;
    private readonly AwsCredentialSource _credentials;
    private readonly AwsRateLimiters _rateLimiters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AwsErrorReader _readError;
    private readonly ResiliencePipeline _retry;
    private readonly Func<double> _random;
    private readonly Func<string, AwsServiceEndpoint> _endpointFor;
    private readonly Lane _default;
    private readonly ConcurrentDictionary<AwsTarget, Lane> _lanes = new();
    private static readonly ResiliencePropertyKey<int> RetryCostKey = new("eks-operator.aws.retry-cost");
    private static readonly ResiliencePropertyKey<Lane> LaneKey = new("eks-operator.aws.lane");

    public AwsTransport(
        HttpClient http,
        AwsServiceEndpoint endpoint,
        AwsServiceOptions limits,
        AwsOptions options,
        AwsCredentialSource credentials,
        AwsRateLimiters rateLimiters,
        TimeProvider time,
        ILogger logger,
        AwsErrorReader readError,
        Func<double>? random = null,
        Func<string, AwsServiceEndpoint>? endpointForRegion = null)
    {
        _http = http;
        _endpoint = endpoint;
        _limits = limits;
        _options = options;
        _credentials = credentials;
        _rateLimiters = rateLimiters;
        _time = time;
        _logger = logger;
        _readError = readError;
        _random = random ?? Random.Shared.NextDouble;
        _endpointFor = endpointForRegion ?? (_ => endpoint);
        _default = new Lane(endpoint, null, options.AccountId);
        _retry = BuildRetry();
    }

    public AwsServiceEndpoint Endpoint => _endpoint;

    /// <summary>The retry quota of calls without a target (the operator's own identity and region).</summary>
    internal RetryQuota Quota => _default.Quota;

    /// <summary>The retry quota of <paramref name="target"/>'s calls.</summary>
    internal RetryQuota QuotaOf(AwsTarget? target) => LaneFor(target).Quota;

    /// <summary>
    /// Sends to the target of <see cref="AwsScope.Current"/>: its region's endpoint, its role's credentials, its account's
    /// rate limits and its own retry quota, so one busy account cannot spend another's.
    /// </summary>
    public async Task<AwsResponse> SendAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var lane = LaneFor(AwsScope.Current);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LaneKey, lane);
        try
        {
            var response = await _retry.ExecuteAsync(
                static (ctx, state) => new ValueTask<AwsResponse>(state.self.SendOnceAsync(state.lane, state.request, ctx.CancellationToken)),
                context,
                (self: this, lane, request));

            // Standard mode: a success refunds what its retries cost, or adds a little when it needed none.
            lane.Quota.Release(context.Properties.TryGetValue(RetryCostKey, out var spent) ? spent : RetryQuota.NoRetryIncrement);
            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Full jitter: random(0,1) × min(base × 2^retry, max), retry counted from 0.</summary>
    internal TimeSpan BackoffFor(int retryIndex)
    {
        var ceiling = _options.BaseBackoff.TotalSeconds * Math.Pow(2, Math.Min(retryIndex, 30));
        return TimeSpan.FromSeconds(_random() * Math.Min(ceiling, _options.MaxBackoff.TotalSeconds));
    }

    private ResiliencePipeline BuildRetry()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                // Polly asks after the last attempt too; only a retry that will happen may spend quota.
                ShouldHandle = args => ValueTask.FromResult(
                    args.AttemptNumber < _options.MaxAttempts - 1
                    && args.Outcome.Exception is AwsApiException { IsRetryable: true } error
                    && SpendRetryQuota(args.Context, error)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(BackoffFor(args.AttemptNumber)),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is AwsApiException error)
                    {
                        LogRetry(_logger, _endpoint.Service, error.Code, (int)error.HttpStatus, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private Lane LaneFor(AwsTarget? target) =>
        AwsTarget.IsOwn(target, _options.Region)
            ? _default
            : _lanes.GetOrAdd(target!, t => new Lane(_endpointFor(t.Region), t.Role, t.Role?.AccountId ?? _options.AccountId));

    private static bool SpendRetryQuota(ResilienceContext context, AwsApiException error)
    {
        var cost = RetryQuota.CostOf(error);
        if (!context.Properties.TryGetValue(LaneKey, out var lane) || !lane.Quota.TryAcquire(cost))
        {
            return false;
        }

        context.Properties.Set(RetryCostKey, (context.Properties.TryGetValue(RetryCostKey, out var spent) ? spent : 0) + cost);
        return true;
    }

    private async Task<AwsResponse> SendOnceAsync(Lane lane, AwsRequest request, CancellationToken cancellationToken)
    {
        var (credentials, current) = await _credentials.GetAsync(lane.Role);
        var account = lane.Account ?? current.AccountId ?? "default";
        await _rateLimiters.AcquireAsync(account, lane.Endpoint.SigningRegion, lane.Endpoint.Service, _limits, AwsRateLimiters.IsMutating(request.Operation), cancellationToken);

        using var message = Sign(lane, request, credentials);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token);
            body = await response.Content.ReadAsByteArrayAsync(linked.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsApiException(_endpoint.Service, "RequestTimeout", $"{request.Operation} timed out after {_options.RequestTimeout}", 0, null, AwsErrorKind.Transient, e);
        }
        catch (HttpRequestException e)
        {
            throw new AwsApiException(_endpoint.Service, "ConnectionFailure", $"{request.Operation}: {e.Message}", 0, null, AwsErrorKind.Transient, e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return new AwsResponse(response.StatusCode, body, RequestIdOf(response));
            }

            throw _readError(_endpoint.Service, response, body);
        }
    }

    /// <summary>Builds the SDK's request, lets AWSSDK.Core sign it, and copies the result onto an HttpRequestMessage.</summary>
    internal HttpRequestMessage Sign(AwsRequest request, AWSCredentials credentials) => Sign(_default, request, credentials);

    private static HttpRequestMessage Sign(Lane lane, AwsRequest request, AWSCredentials credentials)
    {
        var sdkRequest = new DefaultRequest(new HandBuiltRequest(), lane.Endpoint.Service)
        {
            HttpMethod = request.Method.Method,
            ResourcePath = request.ResourcePath,
            Endpoint = lane.Endpoint.Endpoint,
            UseQueryString = request.Query.Count > 0,
            Content = request.Body,
        };
        foreach (var (label, value) in request.PathLabels)
        {
            sdkRequest.AddPathResource(label, value);
        }

        foreach (var (name, values) in request.Query)
        {
            sdkRequest.ParameterCollection.Add(name, values);
        }

        if (request.ContentType is not null)
        {
            sdkRequest.Headers["Content-Type"] = request.ContentType;
        }

        // Temporary credentials (an assumed role, IRSA, Pod Identity) travel with their session token, signed too.
        if (credentials.GetCredentials() is { UseToken: true } session)
        {
            sdkRequest.Headers["X-Amz-Security-Token"] = session.Token;
        }

        new AWS4Signer().Sign(sdkRequest, lane.SigningConfig, new RequestMetrics(), credentials);

        var message = new HttpRequestMessage(request.Method, AmazonServiceClient.ComposeUrl(sdkRequest));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in sdkRequest.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    internal static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var values) || response.Headers.TryGetValues("x-amz-request-id", out values)
            ? values.FirstOrDefault()
            : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "AWS {Service} call failed with {Code} (HTTP {Status}); retry {Retry} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string service, string code, int status, int retry, TimeSpan delay);

    /// <summary>One target's way to the service: endpoint and signing region, role, account (rate-limit key) and retry quota.</summary>
    private sealed class Lane(AwsServiceEndpoint endpoint, AwsAssumedRole? role, string? account)
    {
        public AwsServiceEndpoint Endpoint { get; } = endpoint;
        public AwsSigningConfig SigningConfig { get; } = new(endpoint.Service, endpoint.ServiceVersion, endpoint.SigningRegion, endpoint.Endpoint);
        public AwsAssumedRole? Role { get; } = role;
        public string? Account { get; } = account;
        public RetryQuota Quota { get; } = new();
    }

    /// <summary>DefaultRequest wants an SDK request object; ours carries nothing.</summary>
    private sealed class HandBuiltRequest : AmazonWebServiceRequest
    {
    }
}
