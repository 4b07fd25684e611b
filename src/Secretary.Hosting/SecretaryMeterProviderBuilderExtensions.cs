using Secretary.Hosting.Internals;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Secretary's metrics to OpenTelemetry.</summary>
public static class SecretaryMeterProviderBuilderExtensions
{
    /// <summary>The meter of the cache: hits, misses, stale reads, store calls, refresh durations, entries.</summary>
    public const string CacheMeterName = SecretaryHostingDefaults.CacheMeterName;

    /// <summary>The meter of the agent (<c>secretary serve</c>): requests by route and status.</summary>
    public const string AgentMeterName = SecretaryHostingDefaults.AgentMeterName;

    /// <summary>Subscribes to the <c>Secretary</c> and <c>Secretary.Agent</c> meters.</summary>
    /// <param name="builder">The meter provider builder, for example in <c>AddOpenTelemetry().WithMetrics(...)</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddSecretaryInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(CacheMeterName, AgentMeterName);
    }
}
