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
/// so many processes share one cache and one set of credentials (store kind <c>agent</c>); also the client of
/// <c>secretary get --agent</c> and <c>secretary stats</c>. The agent's statuses and error types come back as the typed
/// exceptions: not found, access denied, and 502/504/5xx or a refused connection as
/// <see cref="SecretStoreUnavailableException"/>, so the cache in front serves stale values while the agent is away.
/// With its own HTTP client (the default) it never goes through a proxy, checks before sending the token that the
/// listener is the agent's user (<see cref="AgentSecretStoreOptions.AgentUser"/>), and reads at most 1 MiB of an answer.
/// </summary>
public sealed partial class AgentSecretStore : ISecretStore, IDisposable
{
    /// <summary>The store kind, for <see cref="SecretStores"/> and <see cref="SecretaryOptions.Store"/>.</summary>
    public const string StoreKind = "agent";

    private readonly AgentSecretStoreOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _getUri;
    private readonly Uri _statsUri;
    private readonly Uri _pingUri;
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
        var peer = new AgentPeer(options.UnixSocket, options.AgentUser is null ? null : AgentPeer.UserId(options.AgentUser));
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),

            // Never through a proxy: the token and the values are for the local agent only.
            UseProxy = false,
            ConnectCallback = peer.ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var baseUri = new Uri(options.Url.EndsWith('/') ? options.Url : options.Url + "/", UriKind.Absolute);
        _getUri = new Uri(baseUri, "secretsmanager/get");
        _statsUri = new Uri(baseUri, "secrets-cache-stats");
        _pingUri = new Uri(baseUri, "ping");
        _token = AgentTokenProvider.Resolve(options, baseUri.Port);
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
    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default) =>
        (await LookupAsync(request, cancellationToken).ConfigureAwait(false)).Secret;

    /// <summary>
    /// Reads a secret through the agent, with what the agent says of it: <see cref="SecretLookup.IsStale"/> when it answered
    /// with <c>X-Secretary-Stale: true</c> (its own store is failing), and then <see cref="SecretLookup.Age"/> from its
    /// <c>Age</c> header; a fresh answer's age is not reported by the agent and is zero.
    /// </summary>
    /// <param name="request">The secret, version id or stage.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The secret and its staleness; <see cref="SecretLookup.FromCache"/> is always false.</returns>
    public async Task<SecretLookup> LookupAsync(SecretRequest request, CancellationToken cancellationToken = default)
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

        var (status, headers, body) = await SendAsync(new Uri(_getUri + query, UriKind.Absolute), request.SecretId, cancellationToken).ConfigureAwait(false);
        if (status is >= 200 and < 300)
        {
            var secret = ParseSecret(request, body);
            if (headers.TryGetValues("X-Secretary-Stale", out var stale) && stale.Contains("true", StringComparer.OrdinalIgnoreCase))
            {
                _stale[request.SecretId] = true;
                Log.AgentStale(_logger, request.SecretId);
                return new SecretLookup(secret, true, headers.Age ?? TimeSpan.Zero, false);
            }

            _stale.TryRemove(request.SecretId, out _);
            return new SecretLookup(secret, false, TimeSpan.Zero, false);
        }

        var (type, text) = ParseError(body);
        Log.Failed(_logger, request.SecretId, status, type ?? "unknown");
        throw MapError(request.SecretId, status, type, text);
    }

    /// <summary>
    /// Asks the agent's <c>/ping</c> (without the token, which it does not need; the listener is checked all the same): true when it answers 200
    /// <c>healthy</c>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the agent is healthy, false when it answered anything else.</returns>
    /// <exception cref="SecretStoreUnavailableException">The agent cannot be reached or did not answer in time.</exception>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        var (status, _, body) = await SendAsync(_pingUri, null, cancellationToken, withToken: false).ConfigureAwait(false);
        return status == 200 && System.Text.Encoding.UTF8.GetString(body).Trim() == "healthy";
    }

    /// <summary>The agent's stats document (<c>/secrets-cache-stats</c>, with the token), as JSON text.</summary>
    /// <exception cref="SecretaryException">The agent cannot be reached, or refused (a wrong token is <see cref="SecretAccessDeniedException"/>).</exception>
    public async Task<string> GetAgentStatsAsync(CancellationToken cancellationToken = default)
    {
        var (status, _, body) = await SendAsync(_statsUri, null, cancellationToken).ConfigureAwait(false);
        if (status is >= 200 and < 300)
        {
            return System.Text.Encoding.UTF8.GetString(body);
        }

        var (type, text) = ParseError(body);
        throw MapError(null, status, type, text);
    }

    private async Task<(int Status, System.Net.Http.Headers.HttpResponseHeaders Headers, byte[] Body)> SendAsync(
        Uri uri, string? secretId, CancellationToken cancellationToken, bool withToken = true)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (withToken && _token.Current() is { } token)
        {
            message.Headers.TryAddWithoutValidation(_options.TokenHeader, token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false)
                ?? throw new SecretStoreUnavailableException(
                    secretId, StoreFailureReason.ServerError,
                    $"The agent at {_options.Url} answered with more than {SecretaryHostingDefaults.MaxAgentResponseBytes} bytes; check that it is a Secretary or AWS Secrets Manager agent.");
            return ((int)response.StatusCode, response.Headers, body);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(_logger, secretId ?? "(stats)", 0, "Timeout");
            throw new SecretStoreUnavailableException(
                secretId, StoreFailureReason.Timeout,
                $"The agent at {_options.Url} did not answer within {_options.Timeout.TotalSeconds:0.###} s.", innerException: ex);
        }
        catch (HttpRequestException ex) when (FindIdentityError(ex) is { } impostor)
        {
            Log.Impostor(_logger, _options.UnixSocket ?? _options.Url);
            throw new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, impostor.Message, "NotTheAgent", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            Log.Failed(_logger, secretId ?? "(stats)", 0, ex.HttpRequestError.ToString());
            throw new SecretStoreUnavailableException(
                secretId, StoreFailureReason.Network,
                $"The agent at {_options.UnixSocket ?? _options.Url} cannot be reached ({ex.HttpRequestError}); check that it is running (secretary serve).", innerException: ex);
        }
    }

    private static AgentIdentityException? FindIdentityError(Exception error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is AgentIdentityException identity)
            {
                return identity;
            }
        }

        return null;
    }

    /// <summary>The answer's bytes, or null when there are more than the agent ever sends.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > SecretaryHostingDefaults.MaxAgentResponseBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > SecretaryHostingDefaults.MaxAgentResponseBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
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

    private SecretaryException MapError(string? secretId, int status, string? type, string? text)
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
            405 => new SecretRequestException(secretId, $"{message}. Check that {_options.Url} is a Secretary or AWS Secrets Manager agent.", type, status),
            502 => new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, message, type, status),
            504 => new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, message, type, status),
            >= 500 => new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, message, type, status),
            _ => new SecretParameterException(secretId, message, type, status),
        };
    }

    private static (string? Type, string? Message) ParseError(byte[] body)
    {
        // The agents answer their own refusals in plain text ("Bad Token", "unknown parameter: x"): keep a short line of it.
        if (body.Length is > 0 and <= 256 && body[0] != (byte)'{' && System.Text.Unicode.Utf8.IsValid(body))
        {
            var text = System.Text.Encoding.UTF8.GetString(body).Trim();
            return (null, text.Any(char.IsControl) ? null : text);
        }

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

        [LoggerMessage(123, LogLevel.Warning, "Agent store: the listener at {Where} is not the agent's user; the token was not sent", EventName = "AgentStoreImpostor")]
        public static partial void Impostor(ILogger logger, string where);
    }
}
