using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Secretary.Agent;
using Secretary.Redis;

namespace Secretary.Cli.Commands;

/// <summary>Fills the agent's backplane hook with a Redis backplane when <see cref="SecretaryAgentOptions.Redis"/> is set (the agent itself knows nothing of Redis).</summary>
internal static class RedisBackplaneHook
{
    /// <param name="options">The agent's settings.</param>
    /// <param name="cachedSecrets">The secrets the agent serves, re-read after every reconnect (changes missed meanwhile are caught).</param>
    public static Func<ISecretCache, IServiceProvider, CancellationToken, Task<IAsyncDisposable>>? For(SecretaryAgentOptions options, Func<IReadOnlyCollection<string>> cachedSecrets)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            return null;
        }

        var configuration = options.Redis;
        return async (cache, services, cancellationToken) => await RedisBackplane.ConnectAsync(
            cache,
            new RedisBackplaneOptions
            {
                Configuration = configuration,
                MeterFactory = services.GetService<IMeterFactory>(),
                TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
                CachedSecrets = cachedSecrets,
            },
            services.GetRequiredService<ILoggerFactory>().CreateLogger<RedisBackplane>(),
            cancellationToken).ConfigureAwait(false);
    }
}
