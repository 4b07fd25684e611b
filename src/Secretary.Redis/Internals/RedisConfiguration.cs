using StackExchange.Redis;

namespace Secretary.Redis.Internals;

/// <summary>Turns <see cref="RedisBackplaneOptions.Configuration"/> into StackExchange.Redis options.</summary>
internal static class RedisConfiguration
{
    /// <summary>
    /// Parses the connection string. A <c>channelPrefix=</c> in it becomes <see cref="RedisBackplaneOptions.ChannelPrefix"/>
    /// (when that is not set), so the channel name on the wire is always <see cref="RedisBackplaneOptions.ChannelName"/>.
    /// </summary>
    public static ConfigurationOptions Parse(RedisBackplaneOptions options, out string endpoint)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration);
        if (!configuration.ChannelPrefix.IsNullOrEmpty)
        {
            options.ChannelPrefix ??= configuration.ChannelPrefix.ToString();
            configuration.ChannelPrefix = default;
        }

        configuration.BacklogPolicy = BacklogPolicy.FailFast; // never queue a publish behind an outage
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        endpoint = string.Join(",", configuration.EndPoints.Select(Format)); // never the password
        return configuration;
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "?",
    };
}
