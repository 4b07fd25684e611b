namespace Secretary.Internals;

/// <summary>A remembered permanent error ("not found", "access denied"), valid until <see cref="Until"/>.</summary>
internal sealed class NegativeResult(SecretaryException error, long until)
{
    public long Until { get; } = until;

    /// <summary>A fresh exception per throw: rethrowing one instance would pile up stack traces.</summary>
    public SecretaryException CreateException() => error.Copy();
}
