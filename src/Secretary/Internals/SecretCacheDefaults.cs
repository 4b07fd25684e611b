namespace Secretary.Internals;

/// <summary>The cache's defaults, in one place.</summary>
internal static class SecretCacheDefaults
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(300);
    public const double RefreshAhead = 0.8;
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
