namespace Secretary;

/// <summary>
/// The store could not answer: network failure, timeout, throttling or a server error after
/// retries. Transient: the cache serves the last good value, flagged stale, while it lasts.
/// </summary>
public sealed class SecretStoreUnavailableException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/>.</summary>
    public SecretStoreUnavailableException(
        string? secretId,
        StoreFailureReason reason,
        string? message = null,
        string? errorCode = null,
        int? statusCode = null,
        Exception? innerException = null)
        : base(message ?? DefaultMessage(reason), secretId, errorCode, statusCode, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the store was unavailable.</summary>
    public StoreFailureReason Reason { get; }

    internal override SecretaryException Copy() => new SecretStoreUnavailableException(SecretId, Reason, Message, ErrorCode, StatusCode, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.StoreUnavailable;

    /// <inheritdoc />
    public override bool IsTransient => true;

    private static string DefaultMessage(StoreFailureReason reason) => reason switch
    {
        StoreFailureReason.Timeout => "The secret store did not answer in time; the cache will retry with backoff.",
        StoreFailureReason.Throttled => "The secret store is throttling requests; the cache will retry with backoff.",
        StoreFailureReason.ServerError => "The secret store failed with a server error; the cache will retry with backoff.",
        _ => "The secret store could not be reached; check connectivity. The cache will retry with backoff.",
    };
}
