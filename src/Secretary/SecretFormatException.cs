namespace Secretary;

/// <summary>
/// The secret's value is not in the form asked for: JSON access on a value that is not a JSON
/// object, a missing key, or a value that does not bind to the requested type. Names the key
/// path that failed, never the value.
/// </summary>
public sealed class SecretFormatException : SecretaryException
{
    /// <summary>Creates the error for <paramref name="secretId"/> and the key path that failed.</summary>
    public SecretFormatException(string? secretId, string message, string? keyPath = null, Exception? innerException = null)
        : base(message, secretId, errorCode: null, statusCode: null, innerException)
    {
        KeyPath = keyPath;
    }

    /// <summary>The key (or key path) that failed, when the failure is about one key.</summary>
    public string? KeyPath { get; }

    internal override SecretaryException Copy() => new SecretFormatException(SecretId, Message, KeyPath, this);

    /// <inheritdoc />
    public override SecretErrorCategory Category => SecretErrorCategory.Format;
}
