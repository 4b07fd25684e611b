#if SECRETARY_NPGSQL
namespace Secretary.Npgsql;
#else
namespace Secretary.MySqlConnector;
#endif

/// <summary>A snapshot of a data source's credential counters. Never holds a password.</summary>
public sealed class SecretaryCredentialStats
{
    /// <summary>Physical connections the driver opened (each asked for a password).</summary>
    public long PhysicalOpens { get; init; }

    /// <summary>Opens the server refused for the login (PostgreSQL 28P01, MySQL 1045), first attempts and retries alike.</summary>
    public long AuthenticationFailures { get; init; }

    /// <summary>Opens retried after an authentication failure brought new credentials.</summary>
    public long RetriedOpens { get; init; }

    /// <summary>Retried opens that failed again: the error reached the caller.</summary>
    public long FailedRetries { get; init; }

    /// <summary>Authentication failures for which neither AWSCURRENT nor AWSPENDING had other credentials: the error reached the caller.</summary>
    public long UnrecoveredFailures { get; init; }

    /// <summary>Times new connections switched to another login (user or password).</summary>
    public long CredentialSwitches { get; init; }

    /// <summary>The secret version new connections use, or null before the secret was first read.</summary>
    public string? VersionId { get; init; }

    /// <summary>The user new connections log in as, or null before the secret was first read.</summary>
    public string? Username { get; init; }

    /// <summary>True while new connections use the AWSPENDING version (a rotation set it, AWSCURRENT has not moved yet).</summary>
    public bool UsingPendingVersion { get; init; }
}
