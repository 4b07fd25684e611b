using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Secretary.Emulator.Internals.ParameterStore;

namespace Secretary.Emulator.Internals;

/// <summary>
/// The awsJson1_1 endpoint (<c>POST /</c>): body limit, request counting, fault injection, SigV4, content type,
/// target and JSON checks, then the operation. Every failure is answered in the service's error shape. Secrets Manager and
/// Parameter Store share the port and these checks; <see cref="ParameterService"/> tells which service a call is for.
/// </summary>
internal sealed partial class ProtocolHandler
{
    private static readonly JsonSerializerOptions ResponseJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SecretOperations _operations;
    private readonly ParameterOperations _parameters;
    private readonly SigV4Verifier _verifier;
    private readonly RequestCounter _counter;
    private readonly FaultGate _gate;
    private readonly StsEndpoint _sts;
    private readonly ILogger _logger;
    private int _inFlight;

    public ProtocolHandler(
        SecretOperations operations,
        ParameterOperations parameters,
        SigV4Verifier verifier,
        RequestCounter counter,
        FaultGate gate,
        StsEndpoint sts,
        ILogger logger)
    {
        _operations = operations;
        _parameters = parameters;
        _verifier = verifier;
        _counter = counter;
        _gate = gate;
        _sts = sts;
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
        if (StsEndpoint.Handles(request))
        {
            await _sts.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || request.Path != "/")
        {
            await WriteErrorAsync(context, new EmulatorException("UnknownOperationException", "Only POST / is served; send awsJson1_1 requests with an X-Amz-Target header.", 404)).ConfigureAwait(false);
            return;
        }

        var target = request.Headers["X-Amz-Target"].ToString();
        var ssm = ParameterService.Handles(request);
        var (prefix, service) = ssm
            ? (ParameterOperations.TargetPrefix, ParameterOperations.ServiceName)
            : (EmulatorConstants.TargetPrefix, EmulatorConstants.ServiceName);
        var operation = target.StartsWith(prefix, StringComparison.Ordinal) && (ssm ? ParameterOperations.IsKnown(target[prefix.Length..]) : SecretOperations.IsKnown(target[prefix.Length..]))
            ? target[prefix.Length..]
            : RequestCounter.Unknown;
        _counter.Count(operation);

        try
        {
            var body = await RequestBody.ReadAsync(context).ConfigureAwait(false);
            if (!await _gate.PassAsync(context, operation, WriteErrorAsync).ConfigureAwait(false))
            {
                return;
            }

            var region = RequestBody.VerifySignature(_verifier, context, service, body);

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
            var response = ssm
                ? _parameters.Invoke(operation, region, input)
                : await _operations.InvokeAsync(operation, region, input, _gate.Stopping).ConfigureAwait(false);
            Log.Handled(_logger, operation, region, 200);
            await WriteJsonAsync(context, 200, response.ToJsonString(ResponseJson)).ConfigureAwait(false);
        }
        catch (EmulatorException ex)
        {
            _counter.CountFailed();
            Log.Refused(_logger, operation, ex.Type, ex.StatusCode);
            await WriteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            // A malformed chunked body, a body cut short: the client's mistake, answered as one.
            _counter.CountFailed();
            Log.Refused(_logger, operation, "SerializationException", ex.StatusCode);
            await WriteErrorAsync(context, EmulatorException.Serialization("The request body could not be read: it is malformed or incomplete.")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _gate.Stopping.IsCancellationRequested)
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

    private static readonly JsonDocumentOptions BodyOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>
    /// Parses the body as one JSON object. Invalid UTF-8, a duplicate member, a lone UTF-16 surrogate escape
    /// (<c>"\ud800"</c>) anywhere, or anything but an object is a <c>SerializationException</c>, before any operation runs.
    /// </summary>
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

        JsonObject json;
        try
        {
            json = JsonNode.Parse(body, documentOptions: BodyOptions) as JsonObject
                ?? throw EmulatorException.Serialization("The request body must be a JSON object.");
        }
        catch (JsonException ex) when (ex.Message.StartsWith("Duplicate", StringComparison.Ordinal))
        {
            throw EmulatorException.Serialization("The request body has a duplicate member.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw EmulatorException.Serialization("The request body is not valid JSON.");
        }

        RequireWellFormedStrings(json);
        return json;
    }

    /// <summary>Decodes every string once, so a lone surrogate is refused here and not half-way through an operation.</summary>
    private static void RequireWellFormedStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    RequireWellFormedStrings(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RequireWellFormedStrings(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    throw EmulatorException.Serialization("The request body has a string that is not valid UTF-16 (a lone surrogate escape).");
                }

                break;
        }
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

        [LoggerMessage(EventId = 4, EventName = "Crashed", Level = LogLevel.Error, Message = "{Operation} failed with an unexpected {ExceptionType}")]
        public static partial void Crashed(ILogger logger, string operation, string exceptionType);
    }
}
