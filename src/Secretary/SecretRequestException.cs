namespace Secretary;

/// <summary>The request is not valid for the secret's state, for example the secret is scheduled for deletion. Permanent: never masked by a stale value.</summary>
public sealed class SecretRequestException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/>.</summary>
    public SecretRequestException(string? secretId, string? message = null, string? errorCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message ?? "The request is not valid for the secret's current state.", secretId, errorCode ?? "InvalidRequestException", statusCode, innerException)
    {
    }

    internal override SecretaryException Copy() => new SecretRequestException(SecretId, Message, ErrorCode, StatusCode, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.InvalidRequest;
}
