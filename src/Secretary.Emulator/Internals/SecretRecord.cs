namespace Secretary.Emulator.Internals;

/// <summary>One secret with its metadata and versions (mutable; only touched under the store lock). Also the persisted form.</summary>
internal sealed class SecretRecord
{
    public required string Region { get; set; }

    public required string Name { get; set; }

    public required string Arn { get; set; }

    public string? Description { get; set; }

    /// <summary>Gets or sets the partner type of a managed external secret (the <c>Type</c> member), stored and echoed.</summary>
    public string? Type { get; set; }

    public string? KmsKeyId { get; set; }

    public DateTimeOffset CreatedDate { get; set; }

    public DateTimeOffset LastChangedDate { get; set; }

    public DateTimeOffset? LastAccessedDate { get; set; }

    /// <summary>Gets or sets when DeleteSecret was called (null when not scheduled for deletion).</summary>
    public DateTimeOffset? DeletedDate { get; set; }

    /// <summary>Gets or sets when the secret is purged for good.</summary>
    public DateTimeOffset? DeletionDate { get; set; }

    /// <summary>Gets or sets whether rotation is on; null until rotation was first configured (the service then leaves the member out).</summary>
    public bool? RotationEnabled { get; set; }

    public string? RotationLambdaArn { get; set; }

    public string? RotationRulesJson { get; set; }

    public DateTimeOffset? LastRotatedDate { get; set; }

    public DateTimeOffset? NextRotationDate { get; set; }

    /// <summary>Gets or sets the <c>ExternalSecretRotationMetadata</c> given to RotateSecret (key/value items), stored and echoed.</summary>
    public List<SecretTag>? ExternalRotationMetadata { get; set; }

    public string? ExternalRotationRoleArn { get; set; }

    /// <summary>Gets or sets the tags; null until the secret was first tagged (then <c>Tags: []</c> stays after the last is removed).</summary>
    public List<SecretTag>? Tags { get; set; }

    /// <summary>Gets or sets the resource policy (IAM policy JSON as given), or null.</summary>
    public string? ResourcePolicy { get; set; }

    /// <summary>Gets or sets the region of the primary secret: this secret's own region on a primary with replicas, the
    /// primary's on a replica, null when the secret is not replicated.</summary>
    public string? PrimaryRegion { get; set; }

    /// <summary>Gets or sets the replicas of a primary secret, in the order they were added.</summary>
    public List<ReplicaRecord>? Replicas { get; set; }

    /// <summary>Gets a value indicating whether this is a read-only replica of a secret in another region.</summary>
    public bool IsReplica => PrimaryRegion is not null && !string.Equals(PrimaryRegion, Region, StringComparison.Ordinal);

    /// <summary>Gets or sets the versions, oldest first.</summary>
    public List<SecretVersion> Versions { get; set; } = [];

    /// <summary>Gets or sets the order of creation (ties in CreatedDate are broken by it).</summary>
    public long Sequence { get; set; }

    public SecretVersion? Version(string versionId) => Versions.Find(v => string.Equals(v.VersionId, versionId, StringComparison.Ordinal));

    public SecretVersion? Stage(string stage) => Versions.Find(v => v.Stages.Contains(stage, StringComparer.Ordinal));
}
