using Secretary.Hosting.Internals;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Secretary's metrics to OpenTelemetry.</summary>
public static class SecretaryMeterProviderBuilderExtensions
{
    /// <summary>The meter of the cache and the fleet backplane: hits, misses, stale reads, store calls, refresh durations, entries, backplane state.</summary>
    public const string CacheMeterName = SecretaryHostingDefaults.CacheMeterName;

    /// <summary>
    /// Subscribes to the <c>Secretary</c> meter. (The agent's HTTP metrics are ASP.NET Core's own,
    /// <c>http.server.request.duration</c>: <c>AddAspNetCoreInstrumentation()</c>.)
    /// </summary>
    /// <param name="builder">The meter provider builder, for example in <c>AddOpenTelemetry().WithMetrics(...)</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddSecretaryInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(CacheMeterName);
    }
}
