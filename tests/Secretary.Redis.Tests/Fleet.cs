using System.Diagnostics;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Secretary.Aws;
using Secretary.Emulator;

namespace Secretary.Redis.Tests;

/// <summary>
/// A fleet on one machine: one emulator (the Secrets Manager stand-in), one redis-server, and several
/// instances, each its own AWS store, cache (TTL 300 s) and Redis backplane.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    public const string Region = "us-east-1";

    private Fleet(EmulatorServer emulator, RedisServer redis)
    {
        Emulator = emulator;
        Redis = redis;
    }

    public EmulatorServer Emulator { get; }

    public RedisServer Redis { get; }

    public List<Instance> Instances { get; } = [];

    /// <summary>Every log line of every instance (cache, store and backplane).</summary>
    public FakeLogCollector Logs { get; } = new();

    public static async Task<Fleet> StartAsync(int instances = 3, Action<RedisBackplaneOptions>? configure = null)
    {
        var redis = await RedisServer.StartAsync();
        var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, AccessKey = "test", SecretKey = "test", DefaultRegion = Region });
        var fleet = new Fleet(emulator, redis);
        try
        {
            for (var i = 1; i <= instances; i++)
            {
                fleet.Instances.Add(await fleet.StartInstanceAsync($"instance-{i}", configure));
            }
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    public async Task<Instance> StartInstanceAsync(string name, Action<RedisBackplaneOptions>? configure = null)
    {
        var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(Logs)));
        var store = new AwsSecretsManagerStore(new AwsSecretsManagerStoreOptions
        {
            Region = Region,
            ServiceUrl = Emulator.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials("test", "test"),
            Timeout = TimeSpan.FromSeconds(5),
        });
        var cache = new SecretCache(
            store,
            new SecretCacheOptions { Name = name, DefaultTtl = TimeSpan.FromSeconds(300), MinRefreshInterval = TimeSpan.Zero },
            logger: loggerFactory.CreateLogger<SecretCache>());
        var options = new RedisBackplaneOptions { Configuration = Redis.Configuration, InstanceId = name };
        configure?.Invoke(options);
        var backplane = await RedisBackplane.ConnectAsync(cache, options, loggerFactory.CreateLogger<RedisBackplane>());
        return new Instance(name, store, cache, backplane, loggerFactory);
    }

    /// <summary>Polls until every instance serves <paramref name="versionId"/> of <paramref name="secretId"/> from its cache; returns how long it took.</summary>
    public async Task<TimeSpan> WaitForVersionEverywhereAsync(string secretId, string versionId, TimeSpan? within = null)
    {
        var started = Stopwatch.GetTimestamp();
        await Eventually.ValueAsync(
            async () =>
            {
                var versions = new List<string>();
                foreach (var instance in Instances)
                {
                    versions.Add((await instance.Cache.GetAsync(secretId)).VersionId);
                }

                return string.Join(", ", versions);
            },
            versions => versions.Split(", ").All(v => v == versionId),
            $"every instance to serve version {versionId} of {secretId}",
            within ?? TimeSpan.FromSeconds(15));
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Polls a condition with a generous bound (behaviour, not a benchmark); returns how long it took, for the report.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<bool> condition, string what, TimeSpan? within = null) => await EventuallyAsync(condition, () => what, within);

    public static async Task<TimeSpan> EventuallyAsync(Func<bool> condition, Func<string> what, TimeSpan? within = null)
    {
        var started = Stopwatch.GetTimestamp();
        await Eventually.ValueAsync(() => Task.FromResult(condition()), done => done, what, within ?? TimeSpan.FromSeconds(15));
        return Stopwatch.GetElapsedTime(started);
    }

    public long StoreReads => Emulator.GetRequestCounts().For("GetSecretValue");

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        await Redis.DisposeAsync();
    }

    internal sealed class Instance(string name, AwsSecretsManagerStore store, SecretCache cache, RedisBackplane backplane, ILoggerFactory loggerFactory) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public SecretCache Cache { get; } = cache;

        public RedisBackplane Backplane { get; } = backplane;

        public async ValueTask DisposeAsync()
        {
            await Backplane.DisposeAsync();
            Cache.Dispose();
            store.Dispose();
            loggerFactory.Dispose();
        }
    }
}
