namespace Secretary;

/// <summary>The caller may not read the secret, or the value cannot be decrypted. Permanent: never masked by a stale value.</summary>
public sealed class SecretAccessDeniedException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/>.</summary>
    public SecretAccessDeniedException(string? secretId, string? message = null, string? errorCode = null, int? statusCode = null, Exception? innerException = null)
        : base(message ?? "Access to the secret was denied. Check the caller's IAM permissions and the key policy.", secretId, errorCode ?? "AccessDeniedException", statusCode, innerException)
    {
    }

    internal override SecretaryException Copy() => new SecretAccessDeniedException(SecretId, Message, ErrorCode, StatusCode, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.AccessDenied;
}
