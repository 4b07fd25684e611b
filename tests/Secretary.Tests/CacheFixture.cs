using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Testing;

namespace Secretary.Tests;

/// <summary>A cache over a fake store, on fake time, with a capturing logger.</summary>
internal sealed class CacheFixture : IDisposable
{
    public CacheFixture(Action<SecretCacheOptions>? configure = null)
    {
        var options = new SecretCacheOptions();
        configure?.Invoke(options);
        Logs = new FakeLogCollector();
        Logger = new FakeLogger<SecretCache>(Logs);
        Cache = new SecretCache(Store, options, Time, Logger, Meters);
    }

    public FakeSecretStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public TestMeterFactory Meters { get; } = new();

    public FakeLogCollector Logs { get; }

    public FakeLogger<SecretCache> Logger { get; }

    public SecretCache Cache { get; }

    public IEnumerable<string> LogLines => Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception?.Message} {string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])}");

    /// <summary>Waits for the cache's own signal that no store call is under way (30 s only as a hang guard).</summary>
    public Task IdleAsync() => Cache.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        Cache.Dispose();
        Meters.Dispose();
    }
}
