namespace Secretary.Emulator.Internals;

/// <summary>One replica region of a primary secret (the persisted form of its <c>ReplicationStatus</c> entry).</summary>
internal sealed class ReplicaRecord
{
    public required string Region { get; set; }

    public string? KmsKeyId { get; set; }

    /// <summary>Gets or sets <c>InSync</c> or <c>Failed</c> (a replica whose name is taken in its region).</summary>
    public string Status { get; set; } = "InSync";

    public string? StatusMessage { get; set; }
}
