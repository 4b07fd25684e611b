namespace Secretary;

/// <summary>A secret, or the requested version of it, does not exist. Permanent: never masked by a stale value.</summary>
public sealed class SecretNotFoundException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/>.</summary>
    public SecretNotFoundException(string? secretId, string? message = null, string? errorCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message ?? "The secret was not found. Check the name, ARN and version, and that the caller's region is the secret's region.", secretId, errorCode ?? "ResourceNotFoundException", statusCode, innerException)
    {
    }

    internal override SecretaryException Copy() => new SecretNotFoundException(SecretId, Message, ErrorCode, StatusCode, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.NotFound;
}
