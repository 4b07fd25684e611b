namespace Secretary.Emulator.Internals;

/// <summary>One secret with its metadata and versions (mutable; only touched under the store lock). Also the persisted form.</summary>
internal sealed class SecretRecord
{
    public required string Region { get; set; }

    public required string Name { get; set; }

    public required string Arn { get; set; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public DateTimeOffset CreatedDate { get; set; }

    public DateTimeOffset LastChangedDate { get; set; }

    public DateTimeOffset? LastAccessedDate { get; set; }

    /// <summary>Gets or sets when DeleteSecret was called (null when not scheduled for deletion).</summary>
    public DateTimeOffset? DeletedDate { get; set; }

    /// <summary>Gets or sets when the secret is purged for good.</summary>
    public DateTimeOffset? DeletionDate { get; set; }

    public bool RotationEnabled { get; set; }

    public string? RotationLambdaArn { get; set; }

    public string? RotationRulesJson { get; set; }

    public DateTimeOffset? LastRotatedDate { get; set; }

    public DateTimeOffset? NextRotationDate { get; set; }

    public List<SecretTag> Tags { get; set; } = [];

    /// <summary>Gets or sets the versions, oldest first.</summary>
    public List<SecretVersion> Versions { get; set; } = [];

    /// <summary>Gets or sets the order of creation (ties in CreatedDate are broken by it).</summary>
    public long Sequence { get; set; }

    public SecretVersion? Version(string versionId) => Versions.Find(v => string.Equals(v.VersionId, versionId, StringComparison.Ordinal));

    public SecretVersion? Stage(string stage) => Versions.Find(v => v.Stages.Contains(stage, StringComparer.Ordinal));
}
