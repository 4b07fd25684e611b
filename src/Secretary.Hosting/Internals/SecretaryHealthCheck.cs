using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>
/// Healthy while every required secret reads fresh; Degraded while a value is served stale (an entry past its TTL
/// with the store failing, or a stale read within <see cref="SecretaryOptions.StaleHealthWindow"/>); the registration's
/// failure status (Unhealthy) when a required secret is neither cached nor readable. Reports counts and secret ids, never values.
/// </summary>
internal sealed class SecretaryHealthCheck(ISecretCache cache, IOptionsMonitor<SecretaryOptions> options, TimeProvider time, ISecretStore? store = null) : IHealthCheck
{
    private readonly Lock _gate = new();
    private long _lastStaleServed;
    private long _lastStaleAt = long.MinValue;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var missing = new List<string>();
        var staleRequired = 0;
        foreach (var id in (settings.RequiredSecrets ?? []).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var lookup = await cache.LookupAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
                staleRequired += lookup.IsStale ? 1 : 0;
            }
            catch (SecretaryException ex)
            {
                missing.Add($"{id} ({ex.Category})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                missing.Add($"{id} (timeout)");
            }
        }

        var stats = cache.GetStats();
        var recentlyStale = RecentlyStale(stats.StaleServed, settings.StaleHealthWindow);
        var cacheStore = (cache as SecretCache)?.Store ?? store;
        var agentStale = cacheStore is AgentSecretStore { IsAgentServingStale: true };
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["required_secrets"] = settings.RequiredSecrets?.Count ?? 0,
            ["missing_secrets"] = missing.Count,
            ["stale_entries"] = stats.StaleEntries,
            ["stale_served"] = stats.StaleServed,
            ["total_cache_entries"] = stats.TotalCacheEntries,
            ["cache_status"] = stats.CacheEfficiency.CacheStatus,
            ["agent_stale"] = agentStale,

            // Every store behind the cache (aws,ssm for a composite): calls and failures of each, never names.
            ["store"] = cacheStore?.Kind ?? "unknown",
            ["backend_calls_by_store"] = stats.BackendCallsByStore,
            ["backend_errors_by_store"] = stats.BackendErrorsByStore,
        };

        if (missing.Count > 0)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Required secrets cannot be read and are not cached: {string.Join(", ", missing)}.",
                data: data);
        }

        if (agentStale)
        {
            return HealthCheckResult.Degraded("The agent serves stale values while its secret store fails.", data: data);
        }

        if (staleRequired > 0 || stats.StaleEntries > 0 || recentlyStale)
        {
            return HealthCheckResult.Degraded(
                $"Serving stale values while the secret store fails ({Math.Max(staleRequired, stats.StaleEntries)} stale entries, {stats.StaleServed} stale reads).",
                data: data);
        }

        return HealthCheckResult.Healthy($"{stats.TotalCacheEntries} cache entries, all fresh.", data);
    }

    private bool RecentlyStale(long staleServed, TimeSpan window)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (staleServed > _lastStaleServed)
            {
                _lastStaleServed = staleServed;
                _lastStaleAt = now;
            }

            return _lastStaleAt != long.MinValue && time.GetElapsedTime(_lastStaleAt, now) < window;
        }
    }
}
