namespace Secretary.Databases.Testing;

/// <summary>A driver-neutral copy of a Secretary data source's SecretaryCredentialStats (each package has its own type).</summary>
public sealed record CredentialStats(
    long PhysicalOpens,
    long AuthenticationFailures,
    long RetriedOpens,
    long FailedRetries,
    long UnrecoveredFailures,
    long CredentialSwitches,
    string? VersionId,
    string? Username,
    bool UsingPendingVersion);
