namespace Secretary;

/// <summary>
/// The base of every error Secretary raises about a secret. Messages name the secret and what
/// to do next; they never contain a secret value.
/// </summary>
public abstract class SecretaryException : Exception
{
    private protected SecretaryException(string message, string? secretId, string? errorCode, int? statusCode, Exception? innerException)
        : base(message, innerException)
    {
        SecretId = secretId;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The secret the error is about, when there is one.</summary>
    public string? SecretId { get; }

    /// <summary>The category of the original specification.</summary>
    public abstract SecretErrorCategory Category { get; }

    /// <summary>True when retrying later may succeed; the cache then serves the last good value.</summary>
    public virtual bool IsTransient => false;

    /// <summary>The store's error code (Secrets Manager's <c>__type</c>), when the store gave one.</summary>
    public string? ErrorCode { get; }

    /// <summary>A new exception with the same facts, for rethrowing a remembered error.</summary>
    internal abstract SecretaryException Copy();

    /// <summary>The store's HTTP status, when the store gave one.</summary>
    public int? StatusCode { get; }
}
