namespace Secretary.Internals;

/// <summary>The cache's defaults, in one place.</summary>
internal static class SecretCacheDefaults
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(300);
    public const int MaxNegativeEntries = 256;
    public static readonly TimeSpan RecoveryProbeInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxStoreTimeout = TimeSpan.FromHours(24);

    /// <summary>The derived refresh lead: at least this, else 10 × the store's p99 latency, at most a fifth of the TTL.</summary>
    public static readonly TimeSpan MinRefreshLead = TimeSpan.FromSeconds(1);
    public const int RefreshLeadLatencyFactor = 10;
    public const double MaxRefreshLeadFraction = 0.2;

    /// <summary>How long a read waits for a due retry of a failing secret before it is answered with the stale value.</summary>
    public static readonly TimeSpan StaleRetryWait = TimeSpan.FromMilliseconds(500);

    /// <summary>Remote change messages stamped further ahead than this are not believed.</summary>
    public static readonly TimeSpan MaxRemoteClockSkew = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxStale = TimeSpan.FromHours(24);
    public const int MaxEntries = 1024;
    public static readonly TimeSpan NotFoundTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BackoffMax = TimeSpan.FromMinutes(5);
    public const double BackoffJitter = 0.2;
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);
    public const int WarmConcurrency = 8;
    public const string Name = "default";
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);
}
