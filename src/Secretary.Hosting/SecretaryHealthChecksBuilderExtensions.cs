using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Secretary.Hosting.Internals;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Secretary health check.</summary>
public static class SecretaryHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the cache registered by <c>AddSecretary</c>: Healthy while the required secrets read fresh;
    /// Degraded while any value is served stale because the store fails; <paramref name="failureStatus"/> (Unhealthy by
    /// default) when a required secret is neither cached nor readable.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>secretary</c>.</param>
    /// <param name="failureStatus">The status when a required secret is missing. Default Unhealthy.</param>
    /// <param name="tags">Tags for filtering checks (for example <c>ready</c>).</param>
    /// <param name="timeout">How long the check may take. Default: no limit beyond the cache's store timeout.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddSecretary(
        this IHealthChecksBuilder builder,
        string name = SecretaryHostingDefaults.HealthCheckName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.TryAddSingleton<SecretaryHealthCheck>();
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => sp.GetRequiredService<SecretaryHealthCheck>(),
            failureStatus,
            tags,
            timeout));
    }
}
