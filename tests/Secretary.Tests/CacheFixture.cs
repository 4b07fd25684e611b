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

    /// <summary>Waits (without sleeping) until no store call is under way.</summary>
    public async Task IdleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Cache.GetStats().RefreshesInFlight > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("A store call never finished.");
            }

            await Task.Yield();
        }
    }

    public void Dispose()
    {
        Cache.Dispose();
        Meters.Dispose();
    }
}
