using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Secretary.Emulator.Internals;

/// <summary>
/// AWS STS <c>GetCallerIdentity</c> on the emulator's port, in the Query protocol the service speaks
/// (<c>Action=GetCallerIdentity&amp;Version=2011-06-15</c>, form-encoded body or query string, SigV4 signing name
/// <c>sts</c>), answered with the service's XML. Clients that validate their credentials at start-up call it.
/// </summary>
internal sealed partial class StsEndpoint
{
    public const string Service = "sts";
    public const string Version = "2011-06-15";
    public const string GetCallerIdentity = "GetCallerIdentity";
    private const string FormContentType = "application/x-www-form-urlencoded";

    private static readonly XNamespace Xmlns = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>Secrets Manager error names of the shared checks, and what STS calls them.</summary>
    private static readonly Dictionary<string, (string Code, int Status)> StsErrors = new(StringComparer.Ordinal)
    {
        ["MissingAuthenticationTokenException"] = ("MissingAuthenticationToken", 403),
        ["IncompleteSignatureException"] = ("IncompleteSignature", 400),
        ["UnrecognizedClientException"] = ("InvalidClientTokenId", 403),
        ["InvalidSignatureException"] = ("SignatureDoesNotMatch", 403),
        ["ThrottlingException"] = ("Throttling", 400),
        ["InternalServiceError"] = ("InternalFailure", 500),
        ["RequestEntityTooLargeException"] = ("RequestEntityTooLarge", 413),
    };

    private readonly SigV4Verifier _verifier;
    private readonly RequestCounter _counter;
    private readonly FaultGate _gate;
    private readonly string _accountId;
    private readonly ILogger _logger;

    public StsEndpoint(SigV4Verifier verifier, RequestCounter counter, FaultGate gate, string accountId, ILogger logger)
    {
        _verifier = verifier;
        _counter = counter;
        _gate = gate;
        _accountId = accountId;
        _logger = logger;
    }

    public static bool IsKnown(string operation) => operation == GetCallerIdentity;

    /// <summary>A Query-protocol call: no <c>X-Amz-Target</c>, and a form body or an <c>Action</c> in the query string.</summary>
    public static bool Handles(HttpRequest request) =>
        !request.Headers.ContainsKey("X-Amz-Target")
        && (request.Query.ContainsKey("Action")
            || (HttpMethods.IsPost(request.Method)
                && (request.ContentType ?? string.Empty).Split(';')[0].Trim().Equals(FormContentType, StringComparison.OrdinalIgnoreCase)));

    public async Task HandleAsync(HttpContext context)
    {
        var operation = RequestCounter.Unknown;
        var counted = false;
        try
        {
            var body = await RequestBody.ReadAsync(context).ConfigureAwait(false);
            var parameters = Parameters(context.Request, body);
            var action = parameters.GetValueOrDefault("Action");
            operation = action == GetCallerIdentity ? GetCallerIdentity : RequestCounter.Unknown;
            _counter.Count(operation);
            counted = true;
            if (!await _gate.PassAsync(context, operation, WriteErrorAsync).ConfigureAwait(false))
            {
                return;
            }

            RequestBody.VerifySignature(_verifier, context, Service, body);
            if (string.IsNullOrEmpty(action))
            {
                throw new EmulatorException("MissingAction", "Missing Action");
            }

            var version = parameters.GetValueOrDefault("Version");
            if (action != GetCallerIdentity || version != Version)
            {
                throw new EmulatorException("InvalidAction", $"Could not find operation {action} for version {(string.IsNullOrEmpty(version) ? "NO_VERSION_SPECIFIED" : version)}");
            }

            Log.Answered(_logger, operation);
            await WriteXmlAsync(context, 200, new XElement(
                Xmlns + "GetCallerIdentityResponse",
                new XElement(
                    Xmlns + "GetCallerIdentityResult",
                    new XElement(Xmlns + "Arn", $"arn:aws:iam::{_accountId}:root"),
                    new XElement(Xmlns + "UserId", _accountId),
                    new XElement(Xmlns + "Account", _accountId)),
                new XElement(Xmlns + "ResponseMetadata", new XElement(Xmlns + "RequestId", RequestId(context))))).ConfigureAwait(false);
        }
        catch (EmulatorException ex)
        {
            if (!counted)
            {
                _counter.Count(operation);
            }

            _counter.CountFailed();
            Log.Refused(_logger, operation, ex.Type, ex.StatusCode);
            await WriteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _gate.Stopping.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    /// <summary>The form body's parameters over the query string's (the service reads both).</summary>
    private static Dictionary<string, string> Parameters(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query)
        {
            parameters[name] = value.ToString();
        }

        if (body.Length > 0 && HttpMethods.IsPost(request.Method))
        {
            if (!System.Text.Unicode.Utf8.IsValid(body))
            {
                throw new EmulatorException("MalformedQueryString", "The request body is not valid UTF-8.");
            }

            foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[name] = value.ToString();
            }
        }

        return parameters;
    }

    private static Task WriteErrorAsync(HttpContext context, EmulatorException error)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var (code, status) = StsErrors.TryGetValue(error.Type, out var mapped) ? mapped : (error.Type, error.StatusCode);
        return WriteXmlAsync(context, status, new XElement(
            Xmlns + "ErrorResponse",
            new XElement(
                Xmlns + "Error",
                new XElement(Xmlns + "Type", status >= 500 ? "Receiver" : "Sender"),
                new XElement(Xmlns + "Code", code),
                new XElement(Xmlns + "Message", error.Message)),
            new XElement(Xmlns + "RequestId", RequestId(context))));
    }

    private static string RequestId(HttpContext context)
    {
        if (!context.Items.TryGetValue(nameof(RequestId), out var id))
        {
            id = Guid.NewGuid().ToString();
            context.Items[nameof(RequestId)] = id;
        }

        return (string)id!;
    }

    private static async Task WriteXmlAsync(HttpContext context, int status, XElement document)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/xml";
        response.Headers["x-amzn-RequestId"] = RequestId(context);
        await response.WriteAsync(document.ToString(SaveOptions.DisableFormatting), context.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, EventName = "StsAnswered", Level = LogLevel.Debug, Message = "STS {Operation} answered 200")]
        public static partial void Answered(ILogger logger, string operation);

        [LoggerMessage(EventId = 21, EventName = "StsRefused", Level = LogLevel.Information, Message = "STS {Operation} refused with {ErrorType} ({StatusCode})")]
        public static partial void Refused(ILogger logger, string operation, string errorType, int statusCode);
    }
}
