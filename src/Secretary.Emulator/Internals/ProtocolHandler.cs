using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Secretary.Emulator.Internals;

/// <summary>
/// The awsJson1_1 endpoint (<c>POST /</c>): body limit, request counting, fault injection, SigV4, content type,
/// target and JSON checks, then the operation. Every failure is answered in the service's error shape.
/// </summary>
internal sealed partial class ProtocolHandler
{
    private static readonly JsonSerializerOptions ResponseJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SecretOperations _operations;
    private readonly SigV4Verifier _verifier;
    private readonly RequestCounter _counter;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private int _inFlight;

    public ProtocolHandler(
        SecretOperations operations,
        SigV4Verifier verifier,
        RequestCounter counter,
        FaultInjector faults,
        TimeProvider timeProvider,
        CancellationToken stopping,
        ILogger logger)
    {
        _operations = operations;
        _verifier = verifier;
        _counter = counter;
        _faults = faults;
        _timeProvider = timeProvider;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>Gets the number of protocol calls being handled right now (tests use it to see a delay end).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/")
        {
            await WriteErrorAsync(context, new EmulatorException("UnknownOperationException", "Only POST / is served; send awsJson1_1 requests with an X-Amz-Target header.", 404)).ConfigureAwait(false);
            return;
        }

        var target = request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(EmulatorConstants.TargetPrefix, StringComparison.Ordinal) && SecretOperations.IsKnown(target[EmulatorConstants.TargetPrefix.Length..])
            ? target[EmulatorConstants.TargetPrefix.Length..]
            : RequestCounter.Unknown;
        _counter.Count(operation);

        try
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (!await ApplyFaultsAsync(context, operation).ConfigureAwait(false))
            {
                return;
            }

            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
            var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
            var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
            var rawQuery = queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..];
            var region = _verifier.Verify(request.Method, rawPath, rawQuery, name => HeaderValue(request, name), body);

            var contentType = request.ContentType ?? string.Empty;
            var mediaType = contentType.Split(';')[0].Trim();
            if (!mediaType.Equals(EmulatorConstants.JsonContentType, StringComparison.OrdinalIgnoreCase)
                && !mediaType.Equals("application/x-amz-json-1.0", StringComparison.OrdinalIgnoreCase)
                && !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw EmulatorException.Serialization($"Unsupported Content-Type '{contentType}'; send {EmulatorConstants.JsonContentType}.");
            }

            if (operation == RequestCounter.Unknown)
            {
                throw new EmulatorException(
                    "UnknownOperationException",
                    string.IsNullOrEmpty(target) ? "The X-Amz-Target header is missing." : $"The operation named by X-Amz-Target '{target}' is not supported.");
            }

            var input = ParseBody(body);
            var response = _operations.Invoke(operation, region, input);
            Log.Handled(_logger, operation, region, 200);
            await WriteJsonAsync(context, 200, response.ToJsonString(ResponseJson)).ConfigureAwait(false);
        }
        catch (EmulatorException ex)
        {
            _counter.CountFailed();
            Log.Refused(_logger, operation, ex.Type, ex.StatusCode);
            await WriteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _counter.CountFailed();
            Log.Crashed(_logger, operation, ex.GetType().Name);
            await WriteErrorAsync(context, new EmulatorException("InternalServiceError", "The emulator failed to handle the request.", 500)).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the fault rule of <paramref name="operation"/>; returns false when the call was answered (or dropped) by a fault.</summary>
    private async Task<bool> ApplyFaultsAsync(HttpContext context, string operation)
    {
        var rule = _faults.RuleFor(operation);
        if (rule.LatencyMs <= 0 && !rule.Hang && !rule.DropConnection && !rule.Outage && !rule.Throttle && rule.ErrorRate <= 0)
        {
            return true;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        if (rule.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMs), _timeProvider, linked.Token).ConfigureAwait(false);
        }

        if (rule.Hang)
        {
            _counter.CountFaulted();
            Log.Faulted(_logger, operation, "hang");
            await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, linked.Token).ConfigureAwait(false);
            return false;
        }

        if (rule.DropConnection)
        {
            _counter.CountFaulted();
            Log.Faulted(_logger, operation, "drop");
            context.Abort();
            return false;
        }

        EmulatorException? injected = null;
        if (rule.Outage)
        {
            injected = new EmulatorException("ServiceUnavailable", "The service is unavailable (emulated outage).", 503);
        }
        else if (rule.Throttle)
        {
            injected = new EmulatorException("ThrottlingException", "Rate exceeded", 400);
        }
        else if (_faults.Fires(rule))
        {
            var type = rule.ErrorType ?? "InternalServiceError";
            injected = new EmulatorException(type, $"Injected {type} (emulated fault).", FaultInjector.StatusOf(type));
        }

        if (injected is null)
        {
            return true;
        }

        _counter.CountFaulted();
        Log.Faulted(_logger, operation, injected.Type);
        await WriteErrorAsync(context, injected).ConfigureAwait(false);
        return false;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > EmulatorConstants.MaxRequestBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > EmulatorConstants.MaxRequestBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static EmulatorException TooLarge() =>
        new("RequestEntityTooLargeException", $"The request body is larger than {EmulatorConstants.MaxRequestBodyBytes} bytes.", 413);

    private static JsonObject ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        // JSON text is UTF-8; invalid bytes inside a string would only fail later, when the value is read.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            throw EmulatorException.Serialization("The request body is not valid UTF-8.");
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject
                ?? throw EmulatorException.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw EmulatorException.Serialization("The request body is not valid JSON.");
        }
    }

    private static string? HeaderValue(HttpRequest request, string name)
    {
        if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
        {
            return request.Host.Value;
        }

        var values = request.Headers[name];
        return values.Count == 0 ? null : string.Join(',', values.Select(v => v?.Trim()));
    }

    internal static async Task WriteErrorAsync(HttpContext context, EmulatorException error)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Headers["x-amzn-ErrorType"] = error.Type;
        var body = new JsonObject { ["__type"] = error.Type, ["message"] = error.Message };
        await WriteJsonAsync(context, error.StatusCode, body.ToJsonString(ResponseJson)).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = EmulatorConstants.JsonContentType;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "Handled", Level = LogLevel.Debug, Message = "{Operation} in {Region} answered {StatusCode}")]
        public static partial void Handled(ILogger logger, string operation, string region, int statusCode);

        [LoggerMessage(EventId = 2, EventName = "Refused", Level = LogLevel.Information, Message = "{Operation} refused with {ErrorType} ({StatusCode})")]
        public static partial void Refused(ILogger logger, string operation, string errorType, int statusCode);

        [LoggerMessage(EventId = 3, EventName = "Faulted", Level = LogLevel.Information, Message = "{Operation} answered by injected fault {Fault}")]
        public static partial void Faulted(ILogger logger, string operation, string fault);

        [LoggerMessage(EventId = 4, EventName = "Crashed", Level = LogLevel.Error, Message = "{Operation} failed with an unexpected {ExceptionType}")]
        public static partial void Crashed(ILogger logger, string operation, string exceptionType);
    }
}
