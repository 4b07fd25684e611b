namespace Secretary.Aws.Internals;

/// <summary>One region the store can read from: its SDK client and its failover state (failures in a row, skipped until when).</summary>
internal sealed class RegionTarget : IDisposable
{
    private readonly Lock _lock = new();
    private int _failures;
    private long _skipUntil;

    public RegionTarget(string region, string? serviceUrl, int index, SecretsManagerClient client)
    {
        Region = region;
        ServiceUrl = serviceUrl;
        Index = index;
        Client = client;
    }

    public string Region { get; }

    public string? ServiceUrl { get; }

    /// <summary>The position in the configured order (0 is the primary region).</summary>
    public int Index { get; }

    public SecretsManagerClient Client { get; }

    public int Failures
    {
        get
        {
            lock (_lock)
            {
                return _failures;
            }
        }
    }

    /// <summary>True while the region is skipped after a failure.</summary>
    public bool IsSkipped(long now)
    {
        lock (_lock)
        {
            return _failures > 0 && now < _skipUntil;
        }
    }

    public long SkipUntil
    {
        get
        {
            lock (_lock)
            {
                return _skipUntil;
            }
        }
    }

    /// <summary>Records a transient failure and returns how long the region is now skipped.</summary>
    public TimeSpan Failed(long now, TimeSpan backoff, TimeSpan maxBackoff, TimeProvider time)
    {
        lock (_lock)
        {
            _failures++;
            var factor = Math.Pow(2, Math.Min(_failures - 1, 30));
            var delay = TimeSpan.FromTicks((long)Math.Min(backoff.Ticks * factor, maxBackoff.Ticks));
            _skipUntil = now + (long)(delay.TotalSeconds * time.TimestampFrequency);
            return delay;
        }
    }

    /// <summary>Records a success; returns true when the region was failing before.</summary>
    public bool Succeeded()
    {
        lock (_lock)
        {
            var wasFailing = _failures > 0;
            _failures = 0;
            _skipUntil = 0;
            return wasFailing;
        }
    }

    public void Dispose() => Client.Dispose();
}
