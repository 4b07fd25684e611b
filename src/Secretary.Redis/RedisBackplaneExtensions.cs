using Microsoft.Extensions.Logging;

namespace Secretary.Redis;

/// <summary>Attaches a Redis backplane to a cache.</summary>
public static class RedisBackplaneExtensions
{
    /// <summary>
    /// Connects <paramref name="cache"/> to the fleet over Redis pub/sub at <paramref name="configuration"/>
    /// (a StackExchange.Redis connection string: <c>host:port,password=...,ssl=true</c>).
    /// </summary>
    /// <param name="cache">The cache to keep in step with the fleet.</param>
    /// <param name="configuration">Where Redis is.</param>
    /// <param name="configure">Changes other settings (channel, prefix, instance id).</param>
    /// <param name="logger">Where to log; nowhere when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running backplane; dispose it to detach.</returns>
    public static Task<RedisBackplane> AddRedisBackplaneAsync(
        this ISecretCache cache,
        string configuration,
        Action<RedisBackplaneOptions>? configure = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        var options = new RedisBackplaneOptions { Configuration = configuration };
        configure?.Invoke(options);
        return RedisBackplane.ConnectAsync(cache, options, logger, cancellationToken);
    }
}
