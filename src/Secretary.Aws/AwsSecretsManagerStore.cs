using System.Text.Json;
using Amazon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Aws.Internals;
using Secretary.Internals.Aws;

namespace Secretary.Aws;

/// <summary>
/// AWS Secrets Manager as a Secretary store, on AWSSDK.Core: the SDK signs (SigV4), finds credentials, retries
/// (standard or adaptive mode) and corrects clock skew; this store speaks GetSecretValue and BatchGetSecretValue
/// (20 ids a call) and fails over between regions on transient errors only.
/// </summary>
public sealed partial class AwsSecretsManagerStore : ISecretStore, IDisposable
{
    private readonly AwsSecretsManagerStoreOptions _options;
    private readonly RegionTarget[] _targets;
    private readonly string[] _regions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string _servingRegion;
    private int _disposed;

    /// <summary>Builds a store; nothing is sent until the first read.</summary>
    /// <param name="options">The settings (copied); null for all defaults (region and credentials from the environment).</param>
    /// <param name="logger">Where failures and failovers are logged (never values); none by default.</param>
    /// <exception cref="ArgumentException">An option is invalid, no region can be found, or the named profile does not exist.</exception>
    public AwsSecretsManagerStore(AwsSecretsManagerStoreOptions? options = null, ILogger<AwsSecretsManagerStore>? logger = null)
    {
        _options = (options ?? new AwsSecretsManagerStoreOptions()).Duplicate();
        _options.Validate();
        _time = _options.TimeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;

        var settings = AwsStoreSettings.Resolve(_options);
        var targets = new List<RegionTarget> { CreateTarget(settings.Region, settings.ServiceUrl, 0, settings) };
        foreach (var fallback in _options.FallbackRegions)
        {
            if (fallback.Region != settings.Region)
            {
                targets.Add(CreateTarget(fallback.Region, fallback.ServiceUrl ?? settings.ServiceUrl, targets.Count, settings));
            }
        }

        _targets = [.. targets];
        _regions = [.. targets.Select(t => t.Region)];
        _servingRegion = settings.Region;
        Log.Created(_logger, settings.Region, string.Join(",", _regions.Skip(1)), settings.ServiceUrl ?? "default", _options.RetryMode.ToString(), _options.MaxAttempts);
    }

    /// <inheritdoc />
    public string Kind => AwsStoreDefaults.Kind;

    /// <summary>Gets the region that served the last successful call (the primary region until then).</summary>
    public string? Region => Volatile.Read(ref _servingRegion);

    /// <summary>Gets the regions in the order they are tried when all are healthy: the primary, then the fallbacks.</summary>
    public IReadOnlyList<string> Regions => _regions;

    /// <inheritdoc />
    public int MaxBatchSize => AwsStoreDefaults.BatchSize;

    /// <inheritdoc />
    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Check(request);
        return await ExecuteAsync(
            "GetSecretValue",
            request.SecretId,
            async (target, ct) =>
            {
                var id = SecretsManagerJson.ForRegion(request.SecretId, target.Region, _regions);
                var body = await target.Client.SendAsync("GetSecretValue", SecretsManagerJson.GetSecretValueRequest(id, request.VersionId, request.VersionStage), ct).ConfigureAwait(false);
                using var document = JsonDocument.Parse(body);
                return SecretsManagerJson.ReadSecret(document.RootElement);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Requests for the current version go through BatchGetSecretValue, 20 ids a call (following <c>NextToken</c>);
    /// requests for a version id or another stage are read one by one. A call that fails as a whole fails over like
    /// <see cref="GetSecretAsync"/>; when every region fails, each request gets that error.
    /// </remarks>
    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var results = new SecretBatchResult?[requests.Count];
        var batched = new List<int>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            try
            {
                Check(request);
            }
            catch (SecretParameterException ex)
            {
                results[i] = SecretBatchResult.Failure(request, ex);
                continue;
            }

            if (request.VersionId is null && (request.VersionStage is null or SecretRequest.CurrentStage))
            {
                batched.Add(i);
            }
            else
            {
                try
                {
                    results[i] = SecretBatchResult.Success(request, await GetSecretAsync(request, cancellationToken).ConfigureAwait(false));
                }
                catch (SecretaryException ex)
                {
                    results[i] = SecretBatchResult.Failure(request, ex);
                }
            }
        }

        var ids = batched.Select(i => requests[i].SecretId).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in ids.Chunk(AwsStoreDefaults.BatchSize))
        {
            var answers = await BatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            foreach (var i in batched)
            {
                if (answers.TryGetValue(requests[i].SecretId, out var answer))
                {
                    results[i] = answer.Secret is { } secret
                        ? SecretBatchResult.Success(requests[i], secret)
                        : SecretBatchResult.Failure(requests[i], answer.Error!);
                }
            }
        }

        return [.. results.Select(r => r!)];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var target in _targets)
        {
            target.Dispose();
        }
    }

    /// <summary>Reads one chunk of up to 20 ids: a secret or a typed error for each id asked for.</summary>
    private async Task<Dictionary<string, (Secret? Secret, SecretaryException? Error)>> BatchAsync(string[] ids, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(
                "BatchGetSecretValue",
                ids[0],
                async (target, ct) =>
                {
                    var sent = ids.Select(id => SecretsManagerJson.ForRegion(id, target.Region, _regions)).ToArray();
                    var answers = new Dictionary<string, (Secret? Secret, SecretaryException? Error)>(StringComparer.Ordinal);
                    string? nextToken = null;
                    var pages = 0;
                    do
                    {
                        var body = await target.Client.SendAsync("BatchGetSecretValue", SecretsManagerJson.BatchGetSecretValueRequest(sent, nextToken), ct).ConfigureAwait(false);
                        using var document = JsonDocument.Parse(body);
                        var root = document.RootElement;
                        if (root.TryGetProperty("SecretValues", out var values) && values.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var value in values.EnumerateArray())
                            {
                                var secret = SecretsManagerJson.ReadSecret(value);
                                for (var k = 0; k < sent.Length; k++)
                                {
                                    if (!answers.ContainsKey(ids[k]) && SecretsManagerJson.Answers(secret, sent[k]))
                                    {
                                        answers[ids[k]] = (secret, null);
                                    }
                                }
                            }
                        }

                        if (root.TryGetProperty("Errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var error in errors.EnumerateArray())
                            {
                                var secretId = Text(error, "SecretId");
                                var k = Array.IndexOf(sent, secretId);
                                if (k >= 0 && !answers.ContainsKey(ids[k]))
                                {
                                    answers[ids[k]] = (null, AwsErrors.FromCode(ids[k], Text(error, "ErrorCode"), Text(error, "Message"), null));
                                }
                            }
                        }

                        nextToken = root.TryGetProperty("NextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
                    }
                    while (nextToken is not null && answers.Count < ids.Length && ++pages < AwsStoreDefaults.MaxBatchPages);

                    foreach (var id in ids)
                    {
                        if (!answers.ContainsKey(id))
                        {
                            answers[id] = (null, new SecretStoreUnavailableException(id, StoreFailureReason.ServerError, "Secrets Manager's batch answer left this secret out; the cache will retry with backoff.", "MissingFromBatch"));
                        }
                    }

                    return answers;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SecretaryException error)
        {
            return ids.ToDictionary(id => id, id => ((Secret?)null, (SecretaryException?)AwsErrors.ForSecret(error, id)), StringComparer.Ordinal);
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// Runs one operation against the regions in order: regions skipped after a failure come last (or first again once
    /// their backoff has passed). A permanent error ends the call at once; a transient one moves to the next region.
    /// </summary>
    private async Task<T> ExecuteAsync<T>(string operation, string secretId, Func<RegionTarget, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        SecretaryException? last = null;
        RegionTarget? failed = null;
        foreach (var target in Order())
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var result = await call(target, linked.Token).ConfigureAwait(false);
                Succeeded(target, operation, failed);
                return result;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = AwsErrors.FromException(secretId, ex, timeout.IsCancellationRequested);
                Log.CallFailed(_logger, operation, secretId, target.Region, error.ErrorCode, error.StatusCode, error.IsTransient);
                if (!error.IsTransient)
                {
                    throw error;
                }

                var skipped = target.Failed(_time.GetTimestamp(), _options.RegionBackoff, _options.MaxRegionBackoff, _time);
                if (_targets.Length > 1)
                {
                    Log.RegionFailed(_logger, target.Region, operation, (error as SecretStoreUnavailableException)?.Reason.ToString() ?? error.Category.ToString(), skipped.TotalSeconds);
                }

                failed ??= target;
                last = error;
            }
        }

        throw last!;
    }

    private void Succeeded(RegionTarget target, string operation, RegionTarget? failed)
    {
        var recovered = target.Succeeded();
        var previous = Interlocked.Exchange(ref _servingRegion, target.Region);
        if (recovered && _targets.Length > 1)
        {
            Log.RegionRecovered(_logger, target.Region);
        }

        if (!string.Equals(previous, target.Region, StringComparison.Ordinal))
        {
            Log.ServingRegionChanged(_logger, target.Region, previous, operation, failed?.Region);
        }
    }

    /// <summary>The configured order, with the regions in backoff moved to the end (soonest retry first).</summary>
    private IEnumerable<RegionTarget> Order()
    {
        if (_targets.Length == 1)
        {
            return _targets;
        }

        var now = _time.GetTimestamp();
        var ready = _targets.Where(t => !t.IsSkipped(now));
        var skipped = _targets.Where(t => t.IsSkipped(now)).OrderBy(t => t.SkipUntil);
        return [.. ready, .. skipped];
    }

    private static void Check(SecretRequest request)
    {
        try
        {
            request.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new SecretParameterException(request.SecretId, ex.Message, "InvalidParameterException", null, ex);
        }
    }

    private SecretsManagerClient CreateClientFor(string region, string? serviceUrl, AwsClientSettings settings)
    {
        var config = new SecretsManagerConfig
        {
            RetryMode = _options.RetryMode,
            MaxErrorRetry = _options.MaxAttempts - 1,

            // The SDK re-sends up to 10 times, outside MaxErrorRetry, when a connection is reset; a dropping
            // network then sees 11 requests per call. One re-send covers a genuinely stale pooled connection.
            MaxStaleConnectionRetries = 1,
            Timeout = _options.Timeout,
            UseFIPSEndpoint = _options.UseFipsEndpoint,
            UseDualstackEndpoint = _options.UseDualstackEndpoint,
        };
        if (serviceUrl is not null)
        {
            // ServiceURL clears RegionEndpoint: without AuthenticationRegion the signing scope would silently be us-east-1.
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return settings.Credentials is { } credentials ? new SecretsManagerClient(credentials, config) : new SecretsManagerClient(config);
    }

    private RegionTarget CreateTarget(string region, string? serviceUrl, int index, AwsClientSettings settings) =>
        new(region, serviceUrl, index, CreateClientFor(region, serviceUrl, settings));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "Created", Level = LogLevel.Debug,
            Message = "Secrets Manager store for {Region} (fallback regions: {FallbackRegions}; endpoint: {Endpoint}; retry mode {RetryMode}, {MaxAttempts} attempts)")]
        public static partial void Created(ILogger logger, string region, string fallbackRegions, string endpoint, string retryMode, int maxAttempts);

        [LoggerMessage(EventId = 2, EventName = "CallFailed", Level = LogLevel.Debug,
            Message = "{Operation} for {SecretId} in {Region} failed with {ErrorCode} (status {StatusCode}, transient {Transient})")]
        public static partial void CallFailed(ILogger logger, string operation, string secretId, string region, string? errorCode, int? statusCode, bool transient);

        [LoggerMessage(EventId = 3, EventName = "RegionFailed", Level = LogLevel.Warning,
            Message = "Secrets Manager in {Region} failed {Operation} ({Reason}); the region is skipped for {BackoffSeconds} s")]
        public static partial void RegionFailed(ILogger logger, string region, string operation, string reason, double backoffSeconds);

        [LoggerMessage(EventId = 4, EventName = "ServingRegionChanged", Level = LogLevel.Warning,
            Message = "Secrets Manager reads are now served from {Region} (was {PreviousRegion}); {Operation} failed first in {FailedRegion}")]
        public static partial void ServingRegionChanged(ILogger logger, string region, string previousRegion, string operation, string? failedRegion);

        [LoggerMessage(EventId = 5, EventName = "RegionRecovered", Level = LogLevel.Information,
            Message = "Secrets Manager in {Region} answers again")]
        public static partial void RegionRecovered(ILogger logger, string region);
    }
}
