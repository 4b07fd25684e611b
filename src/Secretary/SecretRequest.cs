namespace Secretary;

/// <summary>
/// What to read: a secret id (name or ARN) and either a version id or a version stage.
/// With neither, the current version (<see cref="CurrentStage"/>) is meant.
/// </summary>
/// <param name="SecretId">The secret's name, full ARN or partial ARN (1 to 2048 characters).</param>
/// <param name="VersionId">A version id, or null.</param>
/// <param name="VersionStage">A staging label such as AWSCURRENT or AWSPREVIOUS, or null.</param>
public readonly record struct SecretRequest(string SecretId, string? VersionId = null, string? VersionStage = null)
{
    /// <summary>The staging label of the current version.</summary>
    public const string CurrentStage = "AWSCURRENT";

    /// <summary>The staging label of the previous version.</summary>
    public const string PreviousStage = "AWSPREVIOUS";

    /// <summary>The staging label of a version being rotated in.</summary>
    public const string PendingStage = "AWSPENDING";

    /// <summary>The longest secret id Secrets Manager accepts.</summary>
    public const int MaxSecretIdLength = 2048;

    /// <summary>The same request with the default stage filled in when neither a version id nor a stage is given.</summary>
    public SecretRequest Normalize() =>
        VersionId is null && VersionStage is null ? this with { VersionStage = CurrentStage } : this;

    /// <summary>Throws <see cref="ArgumentException"/> when the request is malformed.</summary>
    public void Validate()
    {
        SecretIds.Validate(SecretId);
        if (VersionId is not null && (VersionId.Length is < 1 or > 64))
        {
            throw new ArgumentException("A version id must be 1 to 64 characters.", nameof(VersionId));
        }

        if (VersionStage is not null && (VersionStage.Length is < 1 or > 256))
        {
            throw new ArgumentException("A version stage must be 1 to 256 characters.", nameof(VersionStage));
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        VersionId is not null ? $"{SecretId} (version {VersionId})" : $"{SecretId} ({VersionStage ?? CurrentStage})";
}
