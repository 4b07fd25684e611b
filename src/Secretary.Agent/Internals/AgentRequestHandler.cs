using Secretary.Shared;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Internals;

/// <summary>
/// Every request goes through here, in the AWS agent's order of checks: the connection limit (429), forwarding
/// headers (400) and the token (403) except on the health routes, the method (405), the path (404), then the route.
/// The agent's own refusals are the AWS agent's plain-text bodies; store errors are the service's JSON shape.
/// <c>/metrics</c> is passed on to the Prometheus exporter.
/// </summary>
internal sealed partial class AgentRequestHandler
{
    private const string PingRoute = "/ping";
    private const string HealthRoute = "/healthz";
    private const string ReadyRoute = "/readyz";
    private const string StatsRoute = "/secrets-cache-stats";
    private const string MetricsRoute = "/metrics";
    private const string GetRoute = "/secretsmanager/get";
    private const string ClearRoute = "/secrets-cache/clear";
    private const string WarmRoute = "/secrets-cache/warm";
    private const string UnknownRoute = "unknown";
    private const int MaxBodyBytes = AgentDefaults.MaxBodyBytes;

    // Headers a proxy adds: a request that passed through one is not from a local program.
    private static readonly string[] ForwardingHeaders =
    [
        "X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
        "X-Forwarded-Server", "X-Client-IP", "True-Client-IP", "Via",
    ];

    // Answers are JSON for programs, never HTML: keep quotes and non-ASCII as they are, as the AWS agent does.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ConditionalWeakTable<Secret, byte[]> Bodies = [];

    private readonly RequestDelegate _next;
    private readonly ISecretCache _cache;
    private readonly AgentToken _token;
    private readonly SecretaryAgentOptions _options;
    private readonly ReadinessState _readiness;
    private readonly ConnectionBudget _budget;
    private readonly ServedSecrets _served;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _failureLog;
    private readonly string _pathRoute;
    private readonly bool _checkHost;
    private readonly string? _parameterPrefix;

    public AgentRequestHandler(
        RequestDelegate next,
        ISecretCache cache,
        ISecretStore store,
        AgentToken token,
        SecretaryAgentOptions options,
        ReadinessState readiness,
        ConnectionBudget budget,
        ServedSecrets served,
        TimeProvider time,
        ILogger<AgentRequestHandler> logger)
    {
        _next = next;
        _cache = cache;
        _token = token;
        _options = options;
        _readiness = readiness;
        _budget = budget;
        _served = served;
        _time = time;
        _logger = logger;
        _failureLog = new RateLimitedLog(time, TimeSpan.FromSeconds(10));
        _pathRoute = options.PathPrefix + "{secretId}";
        _checkHost = !options.AllowRemote;
        _parameterPrefix = ParameterPrefixOf(store);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = _time.GetTimestamp();
        var (path, query) = TargetOf(context);
        var route = RouteOf(path);
        AgentTelemetry.Tag(context, route == UnknownRoute ? null : route);
        try
        {
            await DispatchAsync(context, route, path, query).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // A malformed or oversized body (chunked encoding, MaxRequestBodySize): the client's mistake.
            await TextAsync(context, ex.StatusCode, ex.StatusCode == 413 ? "Payload too large" : "Bad request").ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            if (_failureLog.TryEnter(out var suppressed))
            {
                Log.Unhandled(_logger, route, ex.GetType().Name, suppressed);
            }

            await BytesAsync(context, 500, AgentErrors.InternalFailure, JsonType).ConfigureAwait(false);
        }
        finally
        {
            var status = context.Response.StatusCode;
            var elapsed = _time.GetElapsedTime(started);
            Log.Request(_logger, context.Request.Method, route, status, elapsed.TotalMilliseconds);
        }
    }

    private async Task DispatchAsync(HttpContext context, string route, string path, string query)
    {
        var state = ConnectionBudget.StateOf(context);
        var health = route is PingRoute or HealthRoute or ReadyRoute;

        // 1. The connection limit, before anything else (the health routes have 3 connections of headroom).
        if (_budget.IsFull(state, health ? 3 : 0))
        {
            await TextAsync(context, 429, "Connection limit exceeded").ConfigureAwait(false);
            return;
        }

        // Requests without the token, on a connection that never carried it, have their own small budget: they cannot
        // take max_conn's. (Whether the token is there is known now; the answer for a missing one still comes third.)
        var open = health || (route == MetricsRoute && _options.MetricsWithoutToken);
        var authorized = HasToken(context.Request.Headers);
        var anonymous = !state.Counted && !authorized;
        if (anonymous && !_budget.TryEnterAnonymous())
        {
            await TextAsync(context, 429, "Connection limit exceeded").ConfigureAwait(false);
            return;
        }

        try
        {
            if (!open)
            {
                // 2. Forwarding and a browser's rebound name, then 3. the token.
                if (IsForwarded(context.Request.Headers))
                {
                    await TextAsync(context, 400, "Forwarded").ConfigureAwait(false);
                    return;
                }

                if (_checkHost && !IsLocalHost(context))
                {
                    await TextAsync(context, 400, "Bad Host").ConfigureAwait(false);
                    return;
                }

                if (!authorized)
                {
                    await TextAsync(context, 403, "Bad Token").ConfigureAwait(false);
                    return;
                }

                if (!_budget.TryCount(state))
                {
                    await TextAsync(context, 429, "Connection limit exceeded").ConfigureAwait(false);
                    return;
                }
            }

            // 4. The method: GET everywhere (HEAD too is refused, as by the AWS agent) but on the two admin routes.
            var wanted = route is ClearRoute or WarmRoute ? HttpMethods.Post : HttpMethods.Get;
            if (!string.Equals(context.Request.Method, wanted, StringComparison.Ordinal))
            {
                await TextAsync(context, 405, "Not allowed").ConfigureAwait(false);
                return;
            }

            // 5. The path.
            await (route switch
            {
                PingRoute => TextAsync(context, 200, "healthy"),
                HealthRoute => JsonAsync(context, 200, w => w.WriteString("status", "ok")),
                ReadyRoute => ReadyAsync(context, withCounts: authorized),
                StatsRoute => StatsAsync(context),
                MetricsRoute => _next(context),
                GetRoute => QueryFormAsync(context, query),
                ParameterRoute => ParameterAsync(context, query),
                ClearRoute => ClearAsync(context),
                WarmRoute => WarmAsync(context),
                UnknownRoute => TextAsync(context, 404, "Not found"),
                _ => PathFormAsync(context, path, query),
            }).ConfigureAwait(false);
        }
        finally
        {
            if (anonymous)
            {
                _budget.ExitAnonymous();
            }
        }
    }

    /// <summary>The raw path and query, as sent: the AWS agent neither decodes nor normalises the path form's id.</summary>
    private static (string Path, string Query) TargetOf(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            return (context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty);
        }

        var mark = raw.IndexOf('?', StringComparison.Ordinal);
        return mark < 0 ? (raw, string.Empty) : (raw[..mark], raw[mark..]);
    }

    private string RouteOf(string path) => path switch
    {
        PingRoute or HealthRoute or ReadyRoute or StatsRoute or MetricsRoute or GetRoute or ParameterRoute or ClearRoute or WarmRoute => path,
        _ when path.StartsWith(_options.PathPrefix, StringComparison.Ordinal) => _pathRoute,
        _ => UnknownRoute,
    };

    private static bool IsForwarded(IHeaderDictionary headers)
    {
        foreach (var name in ForwardingHeaders)
        {
            if (headers.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The Host a loopback agent answers to: a loopback address or <c>localhost</c>. A web page whose name was rebound to
    /// 127.0.0.1 sends its own name and is refused; a Unix socket is out of a browser's reach.
    /// </summary>
    private static bool IsLocalHost(HttpContext context)
    {
        if (context.Connection.LocalIpAddress is null)
        {
            return true; // a Unix-domain socket
        }

        var host = context.Request.Host;
        if (!host.HasValue)
        {
            return true; // HTTP/1.0 without Host: no browser sends that
        }

        var name = host.Host;
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

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

    private Task QueryFormAsync(HttpContext context, string query)
    {
        var read = new SecretQuery();
        if (read.Parse(query, allowSecretId: true) is { } problem)
        {
            return TextAsync(context, 400, problem);
        }

        return string.IsNullOrEmpty(read.SecretId) ? TextAsync(context, 400, "missing parameter secretId") : SecretAsync(context, read);
    }

    private Task PathFormAsync(HttpContext context, string path, string query)
    {
        var id = path[_options.PathPrefix.Length..];
        if (id.Length == 0)
        {
            return TextAsync(context, 400, "missing secret ID");
        }

        var read = new SecretQuery { SecretId = id };
        return read.Parse(query, allowSecretId: false) is { } problem ? TextAsync(context, 400, problem) : SecretAsync(context, read);
    }

    private async Task SecretAsync(HttpContext context, SecretQuery read)
    {
        var options = read.VersionId is null && read.VersionStage is null ? null : new SecretReadOptions { VersionId = read.VersionId, VersionStage = read.VersionStage };
        SecretLookup lookup;
        try
        {
            lookup = read.RefreshNow
                ? new SecretLookup(await _cache.RefreshAsync(read.SecretId!, options, context.RequestAborted).ConfigureAwait(false), false, TimeSpan.Zero, false)
                : await _cache.LookupAsync(read.SecretId!, options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SecretaryException ex)
        {
            var (status, body) = AgentErrors.For(ex);
            await BytesAsync(context, status, body, JsonType).ConfigureAwait(false);
            return;
        }
        catch (ArgumentException ex)
        {
            await BytesAsync(context, 400, AgentErrors.Validation(read.ValidationMessage() ?? ex.Message), JsonType).ConfigureAwait(false);
            return;
        }

        _served.Add(read.SecretId!);
        if (lookup.IsStale)
        {
            context.Response.Headers["X-Secretary-Stale"] = "true";
            context.Response.Headers.Age = ((long)lookup.Age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        // The answer for one version never changes: serialised once, then copied out for every read.
        await BytesAsync(context, 200, Bodies.GetValue(lookup.Secret, static secret => SerializeSecret(secret)), JsonType).ConfigureAwait(false);
    }

    internal static byte[] SerializeSecret(Secret secret)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            // The AWS agent's members, in its order; absent ones are null, an absent value is left out.
            writer.WriteStartObject();
            writer.WriteString("ARN", secret.Arn);
            writer.WriteString("Name", secret.Name);
            writer.WriteString("VersionId", secret.VersionId);
            if (secret.SecretString is { } text)
            {
                writer.WriteString("SecretString", text);
            }
            else if (secret.SecretBinary is { } binary)
            {
                writer.WriteBase64String("SecretBinary", binary.Span);
            }

            writer.WriteStartArray("VersionStages");
            foreach (var stage in secret.VersionStages)
            {
                writer.WriteStringValue(stage);
            }

            writer.WriteEndArray();
            if (secret.CreatedDate is { } created)
            {
                // As the AWS agent writes it: epoch seconds with their fraction, as a string ("1569534789.046").
                writer.WriteString("CreatedDate", (created.ToUnixTimeMilliseconds() / 1000m).ToString("0.###", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("CreatedDate");
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private Task ReadyAsync(HttpContext context, bool withCounts) =>
        JsonAsync(context, _readiness.IsReady ? 200 : 503, w =>
        {
            w.WriteString("status", _readiness.IsReady ? "ready" : "warming");
            if (withCounts)
            {
                w.WriteNumber("required_secrets", _readiness.Required);
                w.WriteNumber("missing_secrets", _readiness.Missing);
            }
        });

    private Task StatsAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonType;
        return context.Response.WriteAsync(_cache.GetStats().ToJson(), context.RequestAborted);
    }

    private async Task ClearAsync(HttpContext context)
    {
        var ids = new List<string>();
        if (QueryIds(context.Request.Query, ids) is { } problem)
        {
            await TextAsync(context, 400, problem).ConfigureAwait(false);
            return;
        }

        if (ids.Count > 1)
        {
            await TextAsync(context, 400, "secretId may be given once").ConfigureAwait(false);
            return;
        }

        if (ids.Count == 0)
        {
            _cache.Clear();
        }
        else
        {
            _cache.Clear(ids[0]);
        }

        await JsonAsync(context, 200, w => w.WriteString("cleared", ids.Count == 0 ? "all" : "secret")).ConfigureAwait(false);
    }

    private async Task WarmAsync(HttpContext context)
    {
        var ids = new List<string>();
        if (QueryIds(context.Request.Query, ids) is { } problem)
        {
            await TextAsync(context, 400, problem).ConfigureAwait(false);
            return;
        }

        if (ids.Count == 0)
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (body is null)
            {
                return; // 413 answered
            }

            if (BodyIds(body, ids) is { } bad)
            {
                await TextAsync(context, 400, bad).ConfigureAwait(false);
                return;
            }
        }

        if (ids.Count == 0)
        {
            ids.AddRange(_options.RequiredSecrets);
        }

        if (ids.Any(id => !SecretIds.IsValid(id)))
        {
            await TextAsync(context, 400, "a secret id is malformed (1 to 2048 characters, no control characters)").ConfigureAwait(false);
            return;
        }

        var report = await _cache.WarmAsync(ids, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonType;
        await context.Response.WriteAsync(report.ToJson(), context.RequestAborted).ConfigureAwait(false);
    }

    private static string? QueryIds(IQueryCollection query, List<string> ids)
    {
        foreach (var (key, values) in query)
        {
            if (!string.Equals(key, "secretId", StringComparison.Ordinal))
            {
                return "unknown parameter: " + key;
            }

            ids.AddRange(values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!));
        }

        return null;
    }

    /// <summary><c>{"secret_ids": ["id", ...]}</c>; null when it is that, else the problem.</summary>
    private static string? BodyIds(byte[] body, List<string> ids)
    {
        if (body.Length == 0)
        {
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return "the body is not valid UTF-8";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("secret_ids", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return "the body must be {\"secret_ids\": [\"id\", ...]}";
            }

            foreach (var element in list.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return "the body must be {\"secret_ids\": [\"id\", ...]}";
                }

                ids.Add(element.GetString()!);
            }

            return null;
        }
        catch (JsonException)
        {
            return "the body is not valid JSON";
        }
        catch (InvalidOperationException)
        {
            return "the body holds a string that is not valid Unicode"; // "\ud800": a lone surrogate
        }
    }

    /// <summary>The body, or null after answering 413 when it is over 64 KiB (whatever its length header says).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await TextAsync(context, 413, "Payload too large").ConfigureAwait(false);
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
                await TextAsync(context, 413, "Payload too large").ConfigureAwait(false);
                return null;
            }
        }

        return buffer.ToArray();
    }

    private const string JsonType = "application/json";

    private static Task TextAsync(HttpContext context, int status, string text) =>
        BytesAsync(context, status, System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    private static Task BytesAsync(HttpContext context, int status, byte[] body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        // One line per request, refused ones included, at Debug only: an unauthenticated flood must not fill the disk.
        [LoggerMessage(40, LogLevel.Debug, "{Method} {Route} {Status} {ElapsedMs:0.###} ms", EventName = "Request")]
        public static partial void Request(ILogger logger, string method, string route, int status, double elapsedMs);

        [LoggerMessage(42, LogLevel.Error, "Unhandled failure on {Route} ({Error}); {Suppressed} like it suppressed", EventName = "Unhandled")]
        public static partial void Unhandled(ILogger logger, string route, string error, long suppressed);
    }
}
