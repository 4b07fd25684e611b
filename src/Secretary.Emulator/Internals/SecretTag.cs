namespace Secretary.Emulator.Internals;

/// <summary>A tag on a secret.</summary>
internal sealed class SecretTag
{
    public required string Key { get; set; }

    public string Value { get; set; } = string.Empty;
}
