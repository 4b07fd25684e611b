namespace Secretary.Emulator.Internals;

/// <summary>The persisted form of the emulator's state (the <c>--data</c> file).</summary>
internal sealed class DataFileDocument
{
    public int FormatVersion { get; set; } = 1;

    public long Sequence { get; set; }

    public List<SecretRecord> Secrets { get; set; } = [];
}
