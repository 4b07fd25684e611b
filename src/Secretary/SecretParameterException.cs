namespace Secretary;

/// <summary>A parameter is invalid: a malformed secret name or version, an unknown region. Permanent: never masked by a stale value.</summary>
public sealed class SecretParameterException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/>.</summary>
    public SecretParameterException(string? secretId, string? message = null, string? errorCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message ?? "A parameter of the request is invalid.", secretId, errorCode ?? "InvalidParameterException", statusCode, innerException)
    {
    }

    internal override SecretaryException Copy() => new SecretParameterException(SecretId, Message, ErrorCode, StatusCode, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.InvalidParameter;
}
