using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Hosting.Internals;

namespace Secretary.Hosting;

/// <summary>
/// A store that reads through a Secretary agent (<c>secretary serve</c>) or the AWS Secrets Manager Agent on the host,
/// so many processes share one cache and one set of credentials (store kind <c>agent</c>). The agent's statuses and
/// error types come back as the typed exceptions: not found, access denied, and 502/504/5xx or a refused connection as
/// <see cref="SecretStoreUnavailableException"/>, so the cache in front serves stale values while the agent is away.
/// </summary>
public sealed partial class AgentSecretStore : ISecretStore, IDisposable
{
    /// <summary>The store kind, for <see cref="SecretStores"/> and <see cref="SecretaryOptions.Store"/>.</summary>
    public const string StoreKind = "agent";

    private readonly AgentSecretStoreOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _getUri;
    private readonly AgentTokenProvider _token;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _stale = new(StringComparer.Ordinal);

    /// <summary>Creates a store that reads through the agent <paramref name="options"/> names.</summary>
    /// <param name="options">Settings; copied. Validated: every problem in one <see cref="ArgumentException"/>.</param>
    /// <param name="httpClient">The client to send requests with; one of its own when null (disposed with the store).</param>
    /// <param name="logger">Where to log; nowhere when null.</param>
    public AgentSecretStore(AgentSecretStoreOptions? options = null, HttpClient? httpClient = null, ILogger<AgentSecretStore>? logger = null)
    {
        options = (options ?? new AgentSecretStoreOptions()).Duplicate();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid AgentSecretStoreOptions: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var baseUri = new Uri(options.Url.EndsWith('/') ? options.Url : options.Url + "/", UriKind.Absolute);
        _getUri = new Uri(baseUri, "secretsmanager/get");
        _token = AgentTokenProvider.Resolve(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Log.Created(_logger, baseUri.ToString(), _token.Source);
    }

    /// <summary>Registers the <c>agent</c> store kind with <see cref="SecretStores"/>: <c>agent</c> or <c>agent:URL</c>.</summary>
    public static void Register() =>
        SecretStores.Register(StoreKind, argument => new AgentSecretStore(argument is null ? null : new AgentSecretStoreOptions { Url = argument }));

    /// <inheritdoc />
    public string Kind => StoreKind;

    /// <summary>Where the agent listens.</summary>
    public string Url => _options.Url;

    /// <summary>
    /// True while the agent's last answer for some secret was a stale value (<c>X-Secretary-Stale: true</c>: the agent's
    /// own store is failing). The health check reports Degraded then.
    /// </summary>
    public bool IsAgentServingStale => !_stale.IsEmpty;

    /// <inheritdoc />
    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate();
        var query = "?secretId=" + Uri.EscapeDataString(request.SecretId);
        if (request.VersionId is not null)
        {
            query += "&versionId=" + Uri.EscapeDataString(request.VersionId);
        }

        if (request.VersionStage is not null)
        {
            query += "&versionStage=" + Uri.EscapeDataString(request.VersionStage);
        }

        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_getUri + query, UriKind.Absolute));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_token.Current() is { } token)
        {
            message.Headers.TryAddWithoutValidation(_options.TokenHeader, token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(_logger, request.SecretId, 0, "Timeout");
            throw new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.Timeout,
                $"The agent at {_options.Url} did not answer within {_options.Timeout.TotalSeconds:0.###} s.", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            Log.Failed(_logger, request.SecretId, 0, ex.HttpRequestError.ToString());
            throw new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.Network,
                $"The agent at {_options.Url} cannot be reached ({ex.HttpRequestError}); check that it is running (secretary serve).", innerException: ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var secret = ParseSecret(request, body);
                if (response.Headers.TryGetValues("X-Secretary-Stale", out var stale) && stale.Contains("true", StringComparer.OrdinalIgnoreCase))
                {
                    _stale[request.SecretId] = true;
                    Log.AgentStale(_logger, request.SecretId);
                }
                else
                {
                    _stale.TryRemove(request.SecretId, out _);
                }

                return secret;
            }

            var status = (int)response.StatusCode;
            var (type, text) = ParseError(body);
            Log.Failed(_logger, request.SecretId, status, type ?? "unknown");
            throw MapError(request.SecretId, status, type, text);
        }
    }

    /// <summary>Releases the HTTP client when the store created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private SecretaryException MapError(string secretId, int status, string? type, string? text)
    {
        var message = $"The agent answered {status} {type ?? "(no error type)"}: {text ?? "no message"}";
        switch (type)
        {
            case "ResourceNotFoundException":
                return new SecretNotFoundException(secretId, message, type, status);
            case "InvalidRequestException":
                return new SecretRequestException(secretId, message, type, status);
            case "InvalidParameterException" or "ValidationException" or "BadRequestException" or "InvalidNextTokenException":
                return new SecretParameterException(secretId, message, type, status);
            case "AccessDeniedException" or "DecryptionFailure" or "UnrecognizedClientException" or "InvalidSignatureException"
                or "ExpiredTokenException" or "UnauthorizedException":
                return new SecretAccessDeniedException(
                    secretId, status == 403 ? $"{message}. The token came from {_token.Source}." : message, type, status);
            case "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded":
                return new SecretStoreUnavailableException(secretId, StoreFailureReason.Throttled, message, type, status);
            case "TimeoutError":
                return new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, message, type, status);
            case "ConnectionError":
                return new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, message, type, status);
        }

        return status switch
        {
            403 or 401 => new SecretAccessDeniedException(secretId, $"{message}. The token came from {_token.Source}.", type, status),
            404 => new SecretRequestException(secretId, $"{message}. Check that {_options.Url} is a Secretary or AWS Secrets Manager agent.", type, status),
            429 => new SecretStoreUnavailableException(secretId, StoreFailureReason.Throttled, message, type, status),
            502 => new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, message, type, status),
            504 => new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, message, type, status),
            >= 500 => new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, message, type, status),
            _ => new SecretParameterException(secretId, message, type, status),
        };
    }

    private static (string? Type, string? Message) ParseError(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? type = null, message = null;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("__type"))
                {
                    type = property.Value.GetString();
                }
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                {
                    message = property.Value.GetString();
                }
            }

            // The service writes "prefix#Type" in some answers.
            var hash = type?.LastIndexOf('#') ?? -1;
            return (hash >= 0 ? type![(hash + 1)..] : type, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private Secret ParseSecret(SecretRequest request, byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var name = root.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : request.SecretId;
            var versionId = root.TryGetProperty("VersionId", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new JsonException("No VersionId.");
            var arn = root.TryGetProperty("ARN", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            string? text = root.TryGetProperty("SecretString", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            byte[]? binary = text is null && root.TryGetProperty("SecretBinary", out var b) && b.ValueKind == JsonValueKind.String ? b.GetBytesFromBase64() : null;
            if (text is null && binary is null)
            {
                throw new JsonException("No SecretString or SecretBinary.");
            }

            List<string>? stages = null;
            if (root.TryGetProperty("VersionStages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                stages = [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
            }

            DateTimeOffset? created = null;
            if (root.TryGetProperty("CreatedDate", out var c))
            {
                double seconds = 0;
                var ok = c.ValueKind switch
                {
                    JsonValueKind.Number => c.TryGetDouble(out seconds),
                    JsonValueKind.String => double.TryParse(c.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds),
                    _ => false,
                };
                if (ok)
                {
                    created = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
                }
            }

            return binary is null
                ? new Secret(name, versionId, text, null, stages, arn, created)
                : new Secret(name, versionId, null, binary, stages, arn, created);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            // Never echo the body: it may hold the value.
            throw new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.ServerError,
                $"The agent at {_options.Url} answered with a body that is not a GetSecretValue answer; check that it is a Secretary or AWS Secrets Manager agent.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Debug, "Agent store reads through {Url}; the token comes from {TokenSource}", EventName = "AgentStoreCreated")]
        public static partial void Created(ILogger logger, string url, string tokenSource);

        [LoggerMessage(121, LogLevel.Debug, "Agent store: reading {SecretId} failed with status {Status} ({ErrorType})", EventName = "AgentStoreFailed")]
        public static partial void Failed(ILogger logger, string secretId, int status, string errorType);

        [LoggerMessage(122, LogLevel.Warning, "Agent store: the agent served {SecretId} stale; its own store is failing", EventName = "AgentStoreStale")]
        public static partial void AgentStale(ILogger logger, string secretId);
    }
}
