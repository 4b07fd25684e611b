using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;

namespace Secretary.Aws.Internals;

/// <summary>
/// Maps Secrets Manager errors (the <c>__type</c> codes) and transport failures to Secretary's typed errors.
/// Messages name the code and what to do; the service's own message is kept (it never holds a secret value).
/// </summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> AccessCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "DecryptionFailure", "UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "IncompleteSignatureException", "MissingAuthenticationTokenException", "MissingAuthenticationToken",
        "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "NotAuthorized", "RequestExpired", "AuthFailure",
    };

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "RequestThrottled", "RequestThrottledException", "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
    };

    private static readonly HashSet<string> ServerCodes = new(StringComparer.Ordinal)
    {
        "InternalServiceError", "InternalFailure", "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException",
        "InternalError", "RequestTimeout", "RequestTimeoutException",
    };

    private static readonly HashSet<string> ParameterCodes = new(StringComparer.Ordinal)
    {
        "InvalidParameterException", "ValidationException", "InvalidNextTokenException", "SerializationException",
        "UnknownOperationException", "RequestEntityTooLargeException",
    };

    /// <summary>The typed error for a service error code (used for whole calls and for the per-id errors of a batch).</summary>
    public static SecretaryException FromCode(string? secretId, string? code, string? serviceMessage, int? statusCode, Exception? inner = null)
    {
        code = string.IsNullOrEmpty(code) ? null : code;
        var detail = string.IsNullOrWhiteSpace(serviceMessage) ? string.Empty : $" ({serviceMessage.Trim()})";
        if (code == "ResourceNotFoundException")
        {
            return new SecretNotFoundException(secretId, $"Secrets Manager has no such secret or version{detail}. Check the name, ARN, version and region.", code, statusCode, inner);
        }

        if (code == "InvalidRequestException")
        {
            return new SecretRequestException(secretId, $"Secrets Manager refused the request for the secret's state{detail}; for a secret scheduled for deletion, restore it first.", code, statusCode, inner);
        }

        if (code is not null && ParameterCodes.Contains(code))
        {
            return new SecretParameterException(secretId, $"Secrets Manager rejected a parameter with {code}{detail}. Check the secret id, version id and stage.", code, statusCode, inner);
        }

        if ((code is not null && AccessCodes.Contains(code)) || statusCode is 401 or 403)
        {
            return new SecretAccessDeniedException(secretId, $"Secrets Manager denied access with {code ?? "status " + statusCode}{detail}. Check the credentials, the IAM policy (secretsmanager:GetSecretValue) and the KMS key policy.", code, statusCode, inner);
        }

        if ((code is not null && ThrottlingCodes.Contains(code)) || statusCode == 429)
        {
            return new SecretStoreUnavailableException(secretId, StoreFailureReason.Throttled, $"Secrets Manager throttled the call ({code ?? "429"}) and the SDK's retries did not get through; the cache will retry with backoff.", code, statusCode, inner);
        }

        if ((code is not null && ServerCodes.Contains(code)) || statusCode >= 500)
        {
            return new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, $"Secrets Manager failed with {code ?? "a server error"} (status {statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}) after retries; the cache will retry with backoff.", code, statusCode, inner);
        }

        return new SecretRequestException(secretId, $"Secrets Manager refused the request with {code ?? "status " + statusCode}{detail}.", code, statusCode, inner);
    }

    /// <summary>The typed error for anything the SDK threw; <paramref name="timedOut"/> when our per-call timeout fired.</summary>
    public static SecretaryException FromException(string? secretId, Exception exception, bool timedOut)
    {
        if (exception is SecretaryException typed)
        {
            return typed;
        }

        if (timedOut || exception is TimeoutException || (exception is OperationCanceledException && !IsNetwork(exception)))
        {
            return new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, "Secrets Manager did not answer within the store timeout; the cache will retry with backoff.", "Timeout", null, exception);
        }

        if (exception is AmazonServiceException service && (!string.IsNullOrEmpty(service.ErrorCode) || service.StatusCode != 0))
        {
            var status = service.StatusCode == 0 ? (int?)null : (int)service.StatusCode;
            if (string.IsNullOrEmpty(service.ErrorCode) && IsNetwork(exception))
            {
                return Network(secretId, exception);
            }

            return FromCode(secretId, service.ErrorCode, service.Message, status, exception);
        }

        if (IsNetwork(exception))
        {
            return Network(secretId, exception);
        }

        if (exception is JsonException or FormatException or InvalidDataException)
        {
            return new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, "Secrets Manager answered with a body that could not be read; the cache will retry with backoff.", "MalformedResponse", null, exception);
        }

        if (exception is AmazonClientException client && client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return new SecretAccessDeniedException(secretId, "No AWS credentials were found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or run where a role is available.", "NoCredentials", null, exception);
        }

        if (exception is AmazonClientException)
        {
            return new SecretParameterException(secretId, $"The AWS SDK refused the call: {exception.Message}", "ClientError", null, exception);
        }

        return Network(secretId, exception);
    }

    /// <summary>The same error about another secret of a batch.</summary>
    public static SecretaryException ForSecret(SecretaryException error, string secretId) => error switch
    {
        SecretNotFoundException => new SecretNotFoundException(secretId, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretRequestException => new SecretRequestException(secretId, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretParameterException => new SecretParameterException(secretId, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretAccessDeniedException => new SecretAccessDeniedException(secretId, error.Message, error.ErrorCode, error.StatusCode, error),
        SecretStoreUnavailableException u => new SecretStoreUnavailableException(secretId, u.Reason, error.Message, error.ErrorCode, error.StatusCode, error),
        _ => error,
    };

    private static SecretStoreUnavailableException Network(string? secretId, Exception exception) =>
        new(secretId, StoreFailureReason.Network, "Secrets Manager could not be reached (connection failed or dropped); check connectivity. The cache will retry with backoff.", "NetworkError", null, exception);

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
