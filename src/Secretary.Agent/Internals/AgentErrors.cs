using System.Text;
using System.Text.Encodings.Web;

namespace Secretary.Agent.Internals;

/// <summary>
/// What the AWS Secrets Manager Agent answers for a failed read: the store's status and
/// <c>{"__type":"T", "message":"M"}</c>, 504 <c>TimeoutError</c>, 502 <c>ConnectionError</c>, and 500
/// <c>{"__type":"InternalFailure"}</c> when the store's error has no code, status or message.
/// </summary>
internal static class AgentErrors
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The AWS agent's body for an error without a message.</summary>
    public static readonly byte[] InternalFailure = "{\"__type\":\"InternalFailure\"}"u8.ToArray();

    public static (int Status, byte[] Body) For(SecretaryException error)
    {
        switch (error)
        {
            case SecretStoreUnavailableException { Reason: StoreFailureReason.Timeout }:
                return (504, Body("TimeoutError", "Timeout"));
            case SecretStoreUnavailableException { Reason: StoreFailureReason.Network }:
                return (502, Body("ConnectionError", "Read Error"));
        }

        var type = error.ErrorCode ?? error.Category switch
        {
            SecretErrorCategory.NotFound => "ResourceNotFoundException",
            SecretErrorCategory.InvalidRequest => "InvalidRequestException",
            SecretErrorCategory.AccessDenied => "AccessDeniedException",
            SecretErrorCategory.InvalidParameter => "InvalidParameterException",
            SecretErrorCategory.Format => "InvalidParameterException",
            _ => null,
        };
        var status = error.StatusCode ?? (error.Category == SecretErrorCategory.StoreUnavailable ? 500 : 400);
        return type is null or "InternalFailure" || StoreMessageOf(error) is not { } message
            ? (500, InternalFailure)
            : (status, Body(type, message));
    }

    /// <summary>
    /// A failed Parameter Store read: as <see cref="For"/>, except that an error the service answers without a message
    /// (GetParameter's <c>ParameterNotFound</c>) keeps its type and status with an empty message.
    /// </summary>
    public static (int Status, byte[] Body) ForParameter(SecretaryException error) =>
        error is not SecretStoreUnavailableException && error.ErrorCode is { Length: > 0 } type && StoreMessageOf(error) is null
            ? (error.StatusCode ?? 400, Body(type, string.Empty))
            : For(error);

    /// <summary>A local refusal of a malformed id, version or stage: the service's <c>ValidationException</c>.</summary>
    public static byte[] Validation(string message) => Body("ValidationException", message);

    /// <summary>The service's error shape, written as the AWS agent writes it (<c>{"__type":"T", "message":"M"}</c>).</summary>
    public static byte[] Body(string type, string message)
    {
        var text = new StringBuilder(32 + type.Length + message.Length)
            .Append("{\"__type\":").Append(Quote(type)).Append(", \"message\":").Append(Quote(message)).Append('}');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>
    /// The store's own text for the error, as the AWS agent passes it on: the message of the store's native error
    /// (Secrets Manager's <c>message</c>) when the store kept it as the inner exception, else Secretary's message for
    /// stores that are not a service (the file store). Null when the service sent none.
    /// </summary>
    internal static string? StoreMessageOf(SecretaryException error)
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SecretaryException or HttpRequestException or IOException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                continue;
            }

            // An exception built without a message reports "Exception of type '…' was thrown."
            var message = inner.Message;
            return string.IsNullOrWhiteSpace(message) || message.StartsWith("Exception of type '", StringComparison.Ordinal) ? null : message;
        }

        return error.Message; // no native error kept (a fake or file store, a batch answer): Secretary's message
    }

    private static string Quote(string text) => "\"" + Encoder.Encode(text) + "\"";
}
