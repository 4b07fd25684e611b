using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Secretary.Agent;
using Secretary.Redis;

namespace Secretary.Cli.Commands;

/// <summary>Fills the agent's backplane hook with a Redis backplane when <see cref="SecretaryAgentOptions.Redis"/> is set (the agent itself knows nothing of Redis).</summary>
internal static class RedisBackplaneHook
{
    public static Func<ISecretCache, IServiceProvider, CancellationToken, Task<IAsyncDisposable>>? For(SecretaryAgentOptions options)
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
            },
            services.GetRequiredService<ILoggerFactory>().CreateLogger<RedisBackplane>(),
            cancellationToken).ConfigureAwait(false);
    }
}
