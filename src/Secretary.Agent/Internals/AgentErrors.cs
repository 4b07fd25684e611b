namespace Secretary.Agent.Internals;

/// <summary>Maps errors to the AWS agent's statuses and the service's error shape.</summary>
internal static class AgentErrors
{
    public static (int Status, string Type) For(SecretaryException error) => error switch
    {
        SecretStoreUnavailableException { Reason: StoreFailureReason.Timeout } => (504, "TimeoutError"),
        SecretStoreUnavailableException { Reason: StoreFailureReason.Network } => (502, "ConnectionError"),
        SecretStoreUnavailableException { Reason: StoreFailureReason.Throttled } => (error.StatusCode ?? 400, error.ErrorCode ?? "ThrottlingException"),
        SecretStoreUnavailableException => (error.StatusCode is >= 500 ? error.StatusCode.Value : 500, error.ErrorCode ?? "InternalFailure"),
        _ => (error.StatusCode is >= 400 and < 500 ? error.StatusCode.Value : 400, error.ErrorCode ?? error.Category switch
        {
            SecretErrorCategory.NotFound => "ResourceNotFoundException",
            SecretErrorCategory.InvalidRequest => "InvalidRequestException",
            SecretErrorCategory.AccessDenied => "AccessDeniedException",
            _ => "InvalidParameterException",
        }),
    };
}
