using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>What every scenario needs: the run's mode and where chart data goes.</summary>
internal sealed class ScenarioContext(bool quick)
{
    /// <summary>The contenders that cache (every scenario); "no cache" joins where it makes the point.</summary>
    public static readonly string[] Caches =
        [Contenders.SecretaryName, Contenders.SeedName, Contenders.MemoryCacheName, Contenders.FusionName, Contenders.HybridName];

    public static readonly string[] CachesAndNoCache = [.. Caches, Contenders.NoCacheName];

    /// <summary>The specification's nine secret names.</summary>
    public static readonly string[] SpecSecrets =
    [
        "surgicase/main", "surgicase/ses_keys", "surgicase/email_templates", "rds-credentials",
        "surgicase/s3-user-reports", "surgicase/s3-case-documents", "surgicase/s3-user-documents",
        "surgicase/api-signing-key", "surgicase/tls-key",
    ];

    public bool Quick { get; } = quick;

    /// <summary>Latency histograms by chart id, then contender.</summary>
    public Dictionary<string, Dictionary<string, LatencyHistogram>> Latencies { get; } = [];

    /// <summary>Store calls per time bucket in the outage scenario, by contender (bucket width in <see cref="OutageBucketSeconds"/>).</summary>
    public Dictionary<string, double[]> OutageCalls { get; } = [];

    public double OutageBucketSeconds { get; set; }

    public double OutageEndsAt { get; set; }

    public static T Wait<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public static void Log(string message) => Console.Error.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {message}");
}
