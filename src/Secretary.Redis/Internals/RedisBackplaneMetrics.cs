using System.Diagnostics.Metrics;

namespace Secretary.Redis.Internals;

/// <summary>
/// The backplane's instruments on the <c>Secretary</c> meter (so the agent's <c>/metrics</c> shows them
/// beside the cache's). No instrument carries a secret name. The counts are also kept as plain numbers for tests.
/// </summary>
internal sealed class RedisBackplaneMetrics : IDisposable
{
    public const string MeterName = "Secretary";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private long _publishedOk;
    private long _publishFailed;
    private long _dropped;
    private long _refreshed;
    private long _ignored;
    private long _own;
    private long _malformed;
    private long _receiveDropped;
    private long _reconciled;

    public RedisBackplaneMetrics(IMeterFactory? meterFactory, Func<bool> connected)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _published = _meter.CreateCounter<long>(
            "secretary.backplane.published", unit: "{message}", description: "Change messages this instance published, by outcome (ok, failed, dropped).");
        _received = _meter.CreateCounter<long>(
            "secretary.backplane.received",
            unit: "{message}",
            description: "Change messages received, by outcome (refreshed, ignored: duplicate, stale or not cached, own, malformed, dropped: the receive queue was full).");
        _meter.CreateObservableGauge(
            "secretary.backplane.connected", () => connected() ? 1 : 0, unit: "{state}", description: "1 while the backplane is connected to Redis, 0 otherwise.");
    }

    public long PublishedOk => Volatile.Read(ref _publishedOk);

    public long PublishFailed => Volatile.Read(ref _publishFailed);

    public long Dropped => Volatile.Read(ref _dropped);

    public long Refreshed => Volatile.Read(ref _refreshed);

    public long Ignored => Volatile.Read(ref _ignored);

    public long Own => Volatile.Read(ref _own);

    public long Malformed => Volatile.Read(ref _malformed);

    /// <summary>Received messages dropped unhandled because the receive queue was full (the oldest go first).</summary>
    public long ReceiveDropped => Volatile.Read(ref _receiveDropped);

    /// <summary>Secrets re-read by reconciles after reconnects.</summary>
    public long Reconciled => Volatile.Read(ref _reconciled);

    /// <summary>Every message received, whatever its outcome.</summary>
    public long Received => Refreshed + Ignored + Own + Malformed;

    public void Published(string outcome)
    {
        switch (outcome)
        {
            case "ok": Interlocked.Increment(ref _publishedOk); break;
            case "failed": Interlocked.Increment(ref _publishFailed); break;
            default: Interlocked.Increment(ref _dropped); break;
        }

        _published.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Receive(string outcome)
    {
        switch (outcome)
        {
            case "refreshed": Interlocked.Increment(ref _refreshed); break;
            case "ignored": Interlocked.Increment(ref _ignored); break;
            case "own": Interlocked.Increment(ref _own); break;
            case "dropped": Interlocked.Increment(ref _receiveDropped); break;
            default: Interlocked.Increment(ref _malformed); break;
        }

        _received.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void AddReconciled(int secrets) => Interlocked.Add(ref _reconciled, secrets);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
