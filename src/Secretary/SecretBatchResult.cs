namespace Secretary;

/// <summary>One entry of a batch read: the request, and either its secret or its typed error.</summary>
public sealed class SecretBatchResult
{
    private SecretBatchResult(SecretRequest request, Secret? secret, SecretaryException? error)
    {
        Request = request;
        Secret = secret;
        Error = error;
    }

    /// <summary>The request this result answers.</summary>
    public SecretRequest Request { get; }

    /// <summary>The secret, when the read succeeded.</summary>
    public Secret? Secret { get; }

    /// <summary>The error, when the read failed.</summary>
    public SecretaryException? Error { get; }

    /// <summary>A successful result.</summary>
    public static SecretBatchResult Success(SecretRequest request, Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new(request, secret, null);
    }

    /// <summary>A failed result.</summary>
    public static SecretBatchResult Failure(SecretRequest request, SecretaryException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(request, null, error);
    }
}
