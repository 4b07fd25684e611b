namespace Secretary.Emulator.Internals;

/// <summary>One version of a secret (mutable; only touched under the store lock).</summary>
internal sealed class SecretVersion
{
    public required string VersionId { get; set; }

    public string? SecretString { get; set; }

    public byte[]? SecretBinary { get; set; }

    public List<string> Stages { get; set; } = [];

    public DateTimeOffset CreatedDate { get; set; }

    public DateTimeOffset? LastAccessedDate { get; set; }

    public bool SameValue(string? text, byte[]? binary) =>
        string.Equals(SecretString, text, StringComparison.Ordinal)
        && (SecretBinary is null ? binary is null : binary is not null && SecretBinary.AsSpan().SequenceEqual(binary));
}
