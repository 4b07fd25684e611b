using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;

namespace Secretary.ParameterStore.Internals;

/// <summary>
/// Maps Parameter Store's error codes and transport failures to Secretary's typed errors: not found
/// (<c>ParameterNotFound</c>, <c>ParameterVersionNotFound</c>), access denied (IAM and KMS), transient (throttling,
/// 5xx, network, timeout), invalid parameter (validation). The service's message is kept: it never holds a value.
/// </summary>
internal static class ParameterErrors
{
    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "ParameterNotFound", "ParameterVersionNotFound", "ResourceNotFoundException",
    };

    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "InvalidKeyId", "KMSAccessDeniedException", "KMSDisabledException",
        "KMSInvalidStateException", "KMSNotFoundException", "KMSOptInRequired", "DisabledException", "KeyUnavailableException",
        "DecryptionFailure", "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
        "IncompleteSignatureException", "MissingAuthenticationTokenException", "MissingAuthenticationToken", "ExpiredToken",
        "ExpiredTokenException", "InvalidClientTokenId", "NotAuthorized", "RequestExpired", "AuthFailure",
    };

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "RequestThrottled", "RequestThrottledException",
    };

    private static readonly HashSet<string> ServerCodes = new(StringComparer.Ordinal)
    {
        "InternalServerError", "InternalFailure", "InternalServiceError", "ServiceUnavailable", "ServiceUnavailableException",
        "InternalError", "RequestTimeout", "RequestTimeoutException",
    };

    public static SecretaryException FromCode(string? id, string? code, string? serviceMessage, int? statusCode, Exception? inner = null)
    {
        code = string.IsNullOrEmpty(code) ? null : code;
        var detail = string.IsNullOrWhiteSpace(serviceMessage) ? string.Empty : $" ({serviceMessage.Trim()})";
        if (code is not null && NotFoundCodes.Contains(code))
        {
            return new SecretNotFoundException(id, $"Parameter Store has no such parameter, version or label{detail}. Check the name, the selector and the region.", code, statusCode, inner);
        }

        if ((code is not null && AccessCodes.Contains(code)) || statusCode is 401 or 403)
        {
            return new SecretAccessDeniedException(id, $"Parameter Store denied access with {code ?? "status " + statusCode}{detail}. Check the credentials, the IAM policy (ssm:GetParameter, ssm:GetParameters, ssm:GetParametersByPath) and the KMS key policy (kms:Decrypt).", code, statusCode, inner);
        }

        if ((code is not null && ThrottlingCodes.Contains(code)) || statusCode == 429)
        {
            return new SecretStoreUnavailableException(id, StoreFailureReason.Throttled, $"Parameter Store throttled the call ({code ?? "429"}) and the SDK's retries did not get through; the cache will retry with backoff.", code, statusCode, inner);
        }

        if ((code is not null && ServerCodes.Contains(code)) || statusCode >= 500)
        {
            return new SecretStoreUnavailableException(id, StoreFailureReason.ServerError, $"Parameter Store failed with {code ?? "a server error"} (status {statusCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}) after retries; the cache will retry with backoff.", code, statusCode, inner);
        }

        if (code is "ValidationException" or "InvalidFilterKey" or "InvalidFilterOption" or "InvalidFilterValue" or "InvalidNextToken" or "SerializationException" or "UnknownOperationException")
        {
            return new SecretParameterException(id, $"Parameter Store rejected the request with {code}{detail}. Check the name, the path and the selector.", code, statusCode, inner);
        }

        return new SecretRequestException(id, $"Parameter Store refused the request with {code ?? "status " + statusCode}{detail}.", code, statusCode, inner);
    }

    public static SecretaryException FromException(string? id, Exception exception, bool timedOut)
    {
        if (exception is SecretaryException typed)
        {
            return typed;
        }

        if (timedOut || exception is TimeoutException || (exception is OperationCanceledException && !IsNetwork(exception)))
        {
            return new SecretStoreUnavailableException(id, StoreFailureReason.Timeout, "Parameter Store did not answer within the store timeout; the cache will retry with backoff.", "Timeout", null, exception);
        }

        if (exception is AmazonServiceException service && (!string.IsNullOrEmpty(service.ErrorCode) || service.StatusCode != 0))
        {
            if (string.IsNullOrEmpty(service.ErrorCode) && IsNetwork(exception))
            {
                return Network(id, exception);
            }

            return FromCode(id, service.ErrorCode, service.Message, service.StatusCode == 0 ? null : (int)service.StatusCode, exception);
        }

        if (IsNetwork(exception))
        {
            return Network(id, exception);
        }

        if (exception is JsonException or FormatException or InvalidDataException)
        {
            return new SecretStoreUnavailableException(id, StoreFailureReason.ServerError, "Parameter Store answered with a body that could not be read; the cache will retry with backoff.", "MalformedResponse", null, exception);
        }

        if (exception is AmazonClientException client && client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return new SecretAccessDeniedException(id, "No AWS credentials were found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or run where a role is available.", "NoCredentials", null, exception);
        }

        if (exception is AmazonClientException)
        {
            return new SecretParameterException(id, $"The AWS SDK refused the call: {exception.Message}", "ClientError", null, exception);
        }

        return Network(id, exception);
    }

    /// <summary>The same error about another parameter of a batch.</summary>
    public static SecretaryException ForId(SecretaryException error, string id) => error switch
    {
        SecretNotFoundException => new SecretNotFoundException(id, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretRequestException => new SecretRequestException(id, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretParameterException => new SecretParameterException(id, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretAccessDeniedException => new SecretAccessDeniedException(id, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretStoreUnavailableException u => new SecretStoreUnavailableException(id, u.Reason, error.Message, error.ErrorCode, error.StatusCode, error),
        _ => error,
    };

    private static SecretStoreUnavailableException Network(string? id, Exception exception) =>
        new(id, StoreFailureReason.Network, "Parameter Store could not be reached (connection failed or dropped); check connectivity. The cache will retry with backoff.", "NetworkError", null, exception);

    private static bool IsNetwork(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or WebException)
            {
                return true;
            }
        }

        return false;
    }
}
