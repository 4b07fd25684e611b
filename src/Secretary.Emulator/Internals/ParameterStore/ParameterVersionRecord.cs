namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>One version of a parameter, as GetParameterHistory shows it.</summary>
internal sealed class ParameterVersionRecord
{
    public required long Version { get; init; }

    public required string Type { get; init; }

    /// <summary>The plain value (a SecureString is answered as its ciphertext unless WithDecryption is true).</summary>
    public required string Value { get; init; }

    public required string DataType { get; init; }

    public required string Tier { get; init; }

    public required DateTimeOffset LastModifiedDate { get; init; }

    public required string LastModifiedUser { get; init; }

    public string? KeyId { get; init; }

    public string? Description { get; init; }

    public string? AllowedPattern { get; init; }

    public string? Policies { get; init; }

    /// <summary>Labels in the order they were attached; at most 10.</summary>
    public List<string> Labels { get; } = [];
}
