using System.Diagnostics.Metrics;
using Secretary.Redis.Internals;

namespace Secretary.Redis;

/// <summary>Settings of a <see cref="RedisBackplane"/>. Copied when the backplane connects; later changes have no effect.</summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>
    /// The StackExchange.Redis connection string: <c>host:port</c>, then options such as
    /// <c>password=...</c>, <c>user=...</c>, <c>ssl=true</c>, <c>sslHost=...</c>.
    /// <value>Default: <c>localhost:6379</c>.</value>
    /// </summary>
    public string Configuration { get; set; } = RedisBackplaneDefaults.Configuration;

    /// <summary>The pub/sub channel the fleet shares. <value>Default: <c>secretary:changes</c>. 1 to 256 characters.</value></summary>
    public string Channel { get; set; } = RedisBackplaneDefaults.Channel;

    /// <summary>
    /// Put in front of <see cref="Channel"/>, so several environments can share one Redis
    /// (e.g. <c>prod:</c> and <c>staging:</c>). <value>Default: none.</value>
    /// </summary>
    public string? ChannelPrefix { get; set; }

    /// <summary>
    /// This instance's id in the messages it publishes; its own messages are skipped when they come back.
    /// <value>Default: host name, process id and a random suffix. 1 to 128 characters.</value>
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>How long the first connection attempt may take (the backplane starts anyway and keeps trying). <value>Default: 5 s. Range: 100 ms to 5 min.</value></summary>
    public TimeSpan ConnectTimeout { get; set; } = RedisBackplaneDefaults.ConnectTimeout;

    /// <summary>Messages waiting to be published; beyond that the oldest are dropped (the TTL still covers them). <value>Default: 1024. Range: 1 to 1,000,000.</value></summary>
    public int MaxPendingPublishes { get; set; } = RedisBackplaneDefaults.MaxPendingPublishes;

    /// <summary>
    /// The secrets the attached cache holds, re-read in one batched warm-up after every reconnect so that a change
    /// published while this instance was disconnected is caught at once (the agent passes the secrets it has served).
    /// The backplane adds those it saw change. <value>Default: null — the attached <see cref="SecretCache"/>'s own
    /// <see cref="SecretCache.GetCachedSecretIds"/>.</value>
    /// </summary>
    public Func<IReadOnlyCollection<string>>? CachedSecrets { get; set; }

    /// <summary>The clock for message timestamps. <value>Default: <see cref="TimeProvider.System"/>; it should match the cache's.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Creates the <c>Secretary</c> meter; a private meter when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>The channel name used on the wire: <see cref="ChannelPrefix"/> then <see cref="Channel"/>.</summary>
    public string ChannelName => (ChannelPrefix ?? string.Empty) + Channel;

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Configuration))
        {
            problems.Add("Configuration must be a Redis connection string such as 'localhost:6379' or 'host:6380,password=...,ssl=true'.");
        }
        else
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(Configuration);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"Configuration is not a valid Redis connection string ({ex.Message.Split('\n')[0].TrimEnd('.')}).");
            }
        }

        if (string.IsNullOrWhiteSpace(Channel) || Channel.Length > RedisBackplaneDefaults.MaxChannelLength)
        {
            problems.Add($"Channel must be 1 to {RedisBackplaneDefaults.MaxChannelLength} characters.");
        }

        if (ChannelPrefix is not null && (ChannelPrefix.Length > RedisBackplaneDefaults.MaxChannelLength || ChannelPrefix.Any(char.IsWhiteSpace)))
        {
            problems.Add($"ChannelPrefix must be at most {RedisBackplaneDefaults.MaxChannelLength} characters, without spaces.");
        }

        if (InstanceId is not null && (InstanceId.Length is < 1 or > RedisBackplaneDefaults.MaxInstanceIdLength || string.IsNullOrWhiteSpace(InstanceId)))
        {
            problems.Add($"InstanceId must be 1 to {RedisBackplaneDefaults.MaxInstanceIdLength} characters when set.");
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(100) || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"ConnectTimeout must be 100 ms to 5 min (was {ConnectTimeout}).");
        }

        if (MaxPendingPublishes is < 1 or > 1_000_000)
        {
            problems.Add($"MaxPendingPublishes must be 1 to 1000000 (was {MaxPendingPublishes}).");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        return problems;
    }

    internal RedisBackplaneOptions Duplicate() => (RedisBackplaneOptions)MemberwiseClone();

    internal void ThrowIfInvalid(string parameterName)
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid RedisBackplaneOptions: " + string.Join(" ", problems), parameterName);
        }
    }
}
