using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Secretary.Agent.Internals;

/// <summary>
/// Every request goes through here, in the AWS agent's order: connection limit (429), forwarding
/// (400) and token (403) except on the health routes, method (405), path (404), then the route.
/// <c>/metrics</c> is passed on to the Prometheus exporter.
/// </summary>
internal sealed partial class AgentRequestHandler
{
    private const string GetRoute = "/secretsmanager/get";
    private const string MetricsRoute = "/metrics";
    private const int MaxBodyBytes = 64 * 1024;

    // Answers are JSON for programs, never HTML: keep quotes and non-ASCII as they are, as the AWS agent does.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ConditionalWeakTable<Secret, byte[]> Bodies = [];

    private static readonly string[] SecretQueryKeys = ["secretId", "versionId", "versionStage", "refreshNow"];
    private static readonly string[] PathQueryKeys = ["versionId", "versionStage", "refreshNow"];
    private static readonly string[] ClearQueryKeys = ["secretId"];

    private readonly RequestDelegate _next;
    private readonly ISecretCache _cache;
    private readonly AgentToken _token;
    private readonly SecretaryAgentOptions _options;
    private readonly ReadinessState _readiness;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _pathRoute;
    private int _inFlight;

    public AgentRequestHandler(
        RequestDelegate next,
        ISecretCache cache,
        AgentToken token,
        SecretaryAgentOptions options,
        ReadinessState readiness,
        AgentMetrics metrics,
        TimeProvider time,
        ILogger<AgentRequestHandler> logger)
    {
        _next = next;
        _cache = cache;
        _token = token;
        _options = options;
        _readiness = readiness;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pathRoute = options.PathPrefix + "{secretId}";
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var path = context.Request.Path.Value ?? "/";
        var route = RouteOf(path);
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            await DispatchAsync(context, path, route, inFlight).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            Log.Unhandled(_logger, route, ex.GetType().Name);
            await ErrorAsync(context, 500, "InternalFailure", "The agent failed to answer; see its log.").ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            var status = context.Response.StatusCode;
            var elapsed = _time.GetElapsedTime(started);
            _metrics.Request(route, status, elapsed);
            if (status >= 400)
            {
                Log.RequestFailed(_logger, context.Request.Method, route, status, elapsed.TotalMilliseconds);
            }
            else
            {
                Log.Request(_logger, context.Request.Method, route, status, elapsed.TotalMilliseconds);
            }
        }
    }

    private Task DispatchAsync(HttpContext context, string path, string route, int inFlight)
    {
        var health = route is "/ping" or "/healthz" or "/readyz";
        if (inFlight > _options.MaxConn + (health ? 3 : 0))
        {
            return ErrorAsync(context, 429, "TooManyRequestsException", "Connection limit exceeded; retry shortly.");
        }

        var open = health || route is MetricsRoute or "/secrets-cache-stats";
        if (!open)
        {
            if (context.Request.Headers.ContainsKey("X-Forwarded-For"))
            {
                return ErrorAsync(context, 400, "BadRequestException", "Forwarded requests are refused (X-Forwarded-For).");
            }

            if (!HasToken(context.Request.Headers))
            {
                return ErrorAsync(context, 403, "AccessDeniedException", "Bad or missing token: send it in the " + _options.SsrfHeaders[0] + " header.");
            }
        }

        var method = context.Request.Method;
        var wanted = route is "/secrets-cache/clear" or "/secrets-cache/warm" ? HttpMethods.Post : HttpMethods.Get;
        if (route != "unknown" && !string.Equals(method, wanted, StringComparison.Ordinal)
            && !(wanted == HttpMethods.Get && HttpMethods.IsHead(method)))
        {
            context.Response.Headers.Allow = wanted;
            return ErrorAsync(context, 405, "MethodNotAllowedException", $"Only {wanted} is allowed here.");
        }

        return route switch
        {
            "/ping" => TextAsync(context, "healthy"),
            "/healthz" => JsonAsync(context, 200, w => w.WriteString("status", "ok")),
            "/readyz" => ReadyAsync(context),
            "/secrets-cache-stats" => StatsAsync(context),
            MetricsRoute => _next(context),
            GetRoute => SecretAsync(context, QuerySecretId(context), SecretQueryKeys),
            "/secrets-cache/clear" => ClearAsync(context),
            "/secrets-cache/warm" => WarmAsync(context),
            "unknown" => ErrorAsync(context, 404, "NotFoundException", "No such route. Use /secretsmanager/get?secretId=ID or " + _options.PathPrefix + "ID."),
            _ => SecretAsync(context, PathSecretId(context), PathQueryKeys),
        };
    }

    private string RouteOf(string path) => path switch
    {
        "/ping" or "/healthz" or "/readyz" or "/secrets-cache-stats" or MetricsRoute or GetRoute or "/secrets-cache/clear" or "/secrets-cache/warm" => path,
        _ when path.StartsWith(_options.PathPrefix, StringComparison.Ordinal) && path.Length > _options.PathPrefix.Length => _pathRoute,
        _ => "unknown",
    };

    private bool HasToken(IHeaderDictionary headers)
    {
        foreach (var name in _options.SsrfHeaders)
        {
            if (headers.TryGetValue(name, out var values) && values.Count == 1 && _token.Matches(values[0]))
            {
                return true;
            }
        }

        return false;
    }

    private static string? QuerySecretId(HttpContext context) =>
        context.Request.Query.TryGetValue("secretId", out var id) && id.Count == 1 ? id[0] : null;

    private string? PathSecretId(HttpContext context)
    {
        // The raw target keeps %2F and friends; names may hold '/', ARNs ':'.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? raw : raw[..query];
        return rawPath.StartsWith(_options.PathPrefix, StringComparison.Ordinal)
            ? Uri.UnescapeDataString(rawPath[_options.PathPrefix.Length..])
            : null;
    }

    private async Task SecretAsync(HttpContext context, string? secretId, string[] allowedKeys)
    {
        if (QueryProblem(context.Request.Query, allowedKeys) is { } problem)
        {
            await ErrorAsync(context, 400, "InvalidParameterException", problem).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(secretId))
        {
            await ErrorAsync(context, 400, "InvalidParameterException", "secretId is required.").ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var versionId = Single(query, "versionId");
        var versionStage = Single(query, "versionStage");
        var refresh = Single(query, "refreshNow");
        bool refreshNow = false;
        if (refresh is not null && !bool.TryParse(refresh, out refreshNow))
        {
            await ErrorAsync(context, 400, "InvalidParameterException", "refreshNow must be true or false.").ConfigureAwait(false);
            return;
        }

        var options = versionId is null && versionStage is null ? null : new SecretReadOptions { VersionId = versionId, VersionStage = versionStage };
        SecretLookup lookup;
        try
        {
            lookup = refreshNow
                ? new SecretLookup(await _cache.RefreshAsync(secretId, options, context.RequestAborted).ConfigureAwait(false), false, TimeSpan.Zero, false)
                : await _cache.LookupAsync(secretId, options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SecretaryException ex)
        {
            var (status, type) = AgentErrors.For(ex);
            await ErrorAsync(context, status, type, ex.Message).ConfigureAwait(false);
            return;
        }
        catch (ArgumentException ex)
        {
            await ErrorAsync(context, 400, "InvalidParameterException", ex.Message).ConfigureAwait(false);
            return;
        }

        if (lookup.IsStale)
        {
            context.Response.Headers["X-Secretary-Stale"] = "true";
            context.Response.Headers.Age = ((long)lookup.Age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        // The answer for one version never changes: serialised once, then copied out for every read.
        var body = Bodies.GetValue(lookup.Secret, static secret => SerializeSecret(secret));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] SerializeSecret(Secret secret)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            WriteSecret(writer, secret);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSecret(Utf8JsonWriter writer, Secret secret)
    {
        if (secret.Arn is not null)
        {
            writer.WriteString("ARN", secret.Arn);
        }

        writer.WriteString("Name", secret.Name);
        writer.WriteString("VersionId", secret.VersionId);
        if (secret.SecretString is { } text)
        {
            writer.WriteString("SecretString", text);
        }
        else
        {
            writer.WriteBase64String("SecretBinary", secret.SecretBinary!.Value.Span);
        }

        writer.WriteStartArray("VersionStages");
        foreach (var stage in secret.VersionStages)
        {
            writer.WriteStringValue(stage);
        }

        writer.WriteEndArray();
        if (secret.CreatedDate is { } created)
        {
            // As the AWS agent writes it: epoch seconds with a fraction, as a string.
            writer.WriteString("CreatedDate", (created.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
        }
    }

    private Task ReadyAsync(HttpContext context) =>
        JsonAsync(context, _readiness.IsReady ? 200 : 503, w =>
        {
            w.WriteString("status", _readiness.IsReady ? "ready" : "warming");
            w.WriteNumber("required_secrets", _readiness.Required);
            w.WriteNumber("missing_secrets", _readiness.Missing);
        });

    private Task StatsAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(_cache.GetStats().ToJson(), context.RequestAborted);
    }

    private async Task ClearAsync(HttpContext context)
    {
        if (QueryProblem(context.Request.Query, ClearQueryKeys) is { } problem)
        {
            await ErrorAsync(context, 400, "InvalidParameterException", problem).ConfigureAwait(false);
            return;
        }

        var id = Single(context.Request.Query, "secretId");
        if (id is null)
        {
            _cache.Clear();
        }
        else
        {
            _cache.Clear(id);
        }

        await JsonAsync(context, 200, w => w.WriteString("cleared", id is null ? "all" : "secret")).ConfigureAwait(false);
    }

    private async Task WarmAsync(HttpContext context)
    {
        if (QueryProblem(context.Request.Query, ClearQueryKeys, allowRepeats: true) is { } problem)
        {
            await ErrorAsync(context, 400, "InvalidParameterException", problem).ConfigureAwait(false);
            return;
        }

        List<string> ids = [.. context.Request.Query["secretId"].Where(v => v is not null).Select(v => v!)];
        if (ids.Count == 0 && (context.Request.ContentLength ?? 1) > 0)
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (body is null)
            {
                return;
            }

            if (body.Length > 0 && !System.Text.Unicode.Utf8.IsValid(body))
            {
                await ErrorAsync(context, 400, "InvalidParameterException", "The body is not valid UTF-8.").ConfigureAwait(false);
                return;
            }

            if (body.Length > 0)
            {
                try
                {
                    using var json = JsonDocument.Parse(body);
                    if (json.RootElement.ValueKind != JsonValueKind.Object
                        || !json.RootElement.TryGetProperty("secret_ids", out var list) || list.ValueKind != JsonValueKind.Array
                        || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    {
                        await ErrorAsync(context, 400, "InvalidParameterException", "The body must be {\"secret_ids\": [\"id\", ...]}.").ConfigureAwait(false);
                        return;
                    }

                    ids.AddRange(list.EnumerateArray().Select(e => e.GetString()!));
                }
                catch (JsonException)
                {
                    await ErrorAsync(context, 400, "InvalidParameterException", "The body is not valid JSON.").ConfigureAwait(false);
                    return;
                }
            }
        }

        if (ids.Count == 0)
        {
            ids.AddRange(_options.RequiredSecrets);
        }

        if (ids.Any(id => !SecretIds.IsValid(id)))
        {
            await ErrorAsync(context, 400, "InvalidParameterException", "A secret id is malformed (1 to 2048 characters, no control characters).").ConfigureAwait(false);
            return;
        }

        var report = await _cache.WarmAsync(ids, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(report.ToJson(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await ErrorAsync(context, 413, "PayloadTooLargeException", $"The body may be at most {MaxBodyBytes} bytes.").ConfigureAwait(false);
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                await ErrorAsync(context, 413, "PayloadTooLargeException", $"The body may be at most {MaxBodyBytes} bytes.").ConfigureAwait(false);
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static string? QueryProblem(IQueryCollection query, string[] allowed, bool allowRepeats = false)
    {
        foreach (var (key, values) in query)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                return $"Unknown query parameter '{Truncate(key)}'. Allowed: {string.Join(", ", allowed)}.";
            }

            if (values.Count != 1 && !allowRepeats)
            {
                return $"The query parameter '{key}' must be given once.";
            }
        }

        return null;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private static string? Single(IQueryCollection query, string key) =>
        query.TryGetValue(key, out StringValues values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static Task TextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message) =>
        JsonAsync(context, status, w =>
        {
            w.WriteString("__type", type);
            w.WriteString("message", message);
        });

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Debug, "{Method} {Route} {Status} {ElapsedMs:0.###} ms", EventName = "Request")]
        public static partial void Request(ILogger logger, string method, string route, int status, double elapsedMs);

        [LoggerMessage(41, LogLevel.Information, "{Method} {Route} {Status} {ElapsedMs:0.###} ms", EventName = "RequestFailed")]
        public static partial void RequestFailed(ILogger logger, string method, string route, int status, double elapsedMs);

        [LoggerMessage(42, LogLevel.Error, "Unhandled failure on {Route} ({Error})", EventName = "Unhandled")]
        public static partial void Unhandled(ILogger logger, string route, string error);
    }
}
