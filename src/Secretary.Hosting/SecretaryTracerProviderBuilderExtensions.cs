using Secretary.Hosting.Internals;

namespace OpenTelemetry.Trace;

/// <summary>Adds Secretary's spans to OpenTelemetry.</summary>
public static class SecretaryTracerProviderBuilderExtensions
{
    /// <summary>The activity source of the cache: one client span per store call (GetSecretValue, BatchGetSecretValue, ...).</summary>
    public const string CacheActivitySourceName = SecretaryHostingDefaults.CacheMeterName;

    /// <summary>
    /// Subscribes to the <c>Secretary</c> activity source: a span per store call with <c>rpc.system</c>,
    /// <c>rpc.service</c>, <c>rpc.method</c>, <c>cloud.region</c>, <c>error.type</c>, why the cache called the store
    /// (<c>secretary.cache.outcome</c>: miss, expired, refresh-ahead, stale, refresh, remote, probe, warm-up,
    /// recovery) and how many readers the one call served (<c>secretary.flight.waiters</c>). Never a value; secret
    /// names only with <c>SecretCacheOptions.TraceSecretNames</c>.
    /// </summary>
    /// <param name="builder">The tracer provider builder, for example in <c>AddOpenTelemetry().WithTracing(...)</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TracerProviderBuilder AddSecretaryInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(CacheActivitySourceName);
    }
}
