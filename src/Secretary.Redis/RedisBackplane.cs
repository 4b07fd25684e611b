using Secretary.Shared;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Redis.Internals;
using StackExchange.Redis;

namespace Secretary.Redis;

/// <summary>
/// A fleet backplane over Redis pub/sub. When a local refresh of the attached cache finds a new version
/// of a secret, the backplane publishes a <see cref="SecretChangeMessage"/> (ids only, never a value);
/// when another instance's message arrives, it asks the cache to refresh that secret in the background
/// (<see cref="ISecretCache.HandleRemoteChange"/>: duplicates and stale messages make no store call).
/// Publishing never blocks a reader (a bounded queue drained in the background, fail-fast while
/// disconnected). Received messages go through a bounded queue too (the oldest dropped); one over
/// 8 KB is dropped unread. While Redis is down the cache works on its TTLs alone and the connection
/// is retried by itself; messages published during the outage are lost, so after every reconnect the
/// backplane re-reads the cached secrets in one batched warm-up (<see cref="RedisBackplaneOptions.CachedSecrets"/>)
/// and a rotation missed meanwhile is caught at once.
/// </summary>
public sealed partial class RedisBackplane : ISecretBackplane, IAsyncDisposable
{
    private const int Connecting = 0;
    private const int Connected = 1;
    private const int Disconnected = 2;
    private const int Disposed = 3;

    private readonly ISecretCache _cache;
    private readonly RedisBackplaneOptions _options;
    private readonly ConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly string _endpoint;
    private readonly ILogger _logger;
    private readonly RedisBackplaneMetrics _metrics;
    private readonly Channel<SecretChangeMessage> _outbox;
    private readonly Channel<byte[]> _inbox;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly RateLimitedLog _malformedLog;
    private Task _receiveLoop = Task.CompletedTask;
    private int _reconciling;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _subscribeGate = new(1, 1);
    private Task _publishLoop = Task.CompletedTask;
    private bool _subscribed;
    private long _droppedSinceLog;
    private int _state = Connecting;

    private RedisBackplane(ISecretCache cache, RedisBackplaneOptions options, ConnectionMultiplexer redis, string endpoint, ILogger logger)
    {
        _cache = cache;
        _options = options;
        _redis = redis;
        _endpoint = endpoint;
        _logger = logger;
        _subscriber = redis.GetSubscriber();
        _channel = RedisChannel.Literal(options.ChannelName);
        InstanceId = options.InstanceId ?? DefaultInstanceId();
        _metrics = new RedisBackplaneMetrics(options.MeterFactory, () => Volatile.Read(ref _state) == Connected);
        _outbox = Channel.CreateBounded<SecretChangeMessage>(
            new BoundedChannelOptions(options.MaxPendingPublishes)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ =>
            {
                _metrics.Published("dropped");
                Interlocked.Increment(ref _droppedSinceLog);
            });
        _inbox = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(RedisBackplaneDefaults.MaxPendingReceived)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => _metrics.Receive("dropped"));
        _malformedLog = new RateLimitedLog(options.TimeProvider, TimeSpan.FromSeconds(10));
    }

    /// <summary>This instance's id in the messages it publishes.</summary>
    public string InstanceId { get; }

    /// <summary>The channel on the wire (prefix and channel).</summary>
    public string ChannelName => _options.ChannelName;

    /// <summary><c>connected</c>, <c>disconnected</c> (the cache works on TTLs alone meanwhile), <c>connecting</c> or <c>disposed</c>.</summary>
    public string State => Volatile.Read(ref _state) switch
    {
        Connected => "connected",
        Disconnected => "disconnected",
        Disposed => "disposed",
        _ => "connecting",
    };

    internal RedisBackplaneMetrics Metrics => _metrics;

    /// <summary>
    /// Connects to Redis, subscribes, and attaches the backplane to <paramref name="cache"/> (its state shows
    /// in the stats document when the cache is a <see cref="SecretCache"/>). When Redis is unreachable the
    /// backplane still starts, after at most <see cref="RedisBackplaneOptions.ConnectTimeout"/>, disconnected,
    /// and keeps trying in the background.
    /// </summary>
    /// <param name="cache">The cache to keep in step with the fleet.</param>
    /// <param name="options">Settings; copied, and validated (every problem in one <see cref="ArgumentException"/>).</param>
    /// <param name="logger">Where to log; nowhere when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running backplane; dispose it to detach and disconnect.</returns>
    public static async Task<RedisBackplane> ConnectAsync(
        ISecretCache cache,
        RedisBackplaneOptions options,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        options = options.Duplicate();
        options.ThrowIfInvalid(nameof(options));
        logger ??= NullLogger.Instance;

        var configuration = RedisConfiguration.Parse(options, out var endpoint);
        configuration.AbortOnConnectFail = false; // start without Redis, reconnect by itself
        configuration.ClientName ??= "secretary";

        var redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        var backplane = new RedisBackplane(cache, options, redis, endpoint, logger);
        try
        {
            await backplane.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await backplane.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return backplane;
    }

    /// <summary>
    /// Connects once, publishes one message and disconnects (for <c>secretary invalidate</c>, a rotation hook or
    /// an EventBridge target). Fails at once when Redis is unreachable.
    /// </summary>
    /// <param name="options">Where to publish (<see cref="RedisBackplaneOptions.Configuration"/>, channel and prefix).</param>
    /// <param name="message">The change to announce.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many subscribers Redis delivered the message to.</returns>
    /// <exception cref="RedisBackplaneException">Redis is unreachable or refused the command; nothing was published.</exception>
    public static async Task<long> PublishOnceAsync(RedisBackplaneOptions options, SecretChangeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(message);
        options = options.Duplicate();
        options.ThrowIfInvalid(nameof(options));
        var configuration = RedisConfiguration.Parse(options, out var endpoint);
        configuration.AbortOnConnectFail = true;
        configuration.ConnectRetry = 1;
        configuration.ClientName ??= "secretary-invalidate";
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
            await using (redis.ConfigureAwait(false))
            {
                return await redis.GetSubscriber()
                    .PublishAsync(RedisChannel.Literal(options.ChannelName), message.ToJson())
                    .WaitAsync(cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RedisBackplaneException(
                $"Redis at {endpoint} is unreachable or refused the publish ({Describe(ex)}); nothing was published, check the address, password and TLS settings.", ex);
        }
    }

    /// <summary>
    /// Publishes a change now (origin: this instance) and returns how many subscribers received it.
    /// Other instances refresh the secret unless they already hold <paramref name="versionId"/>.
    /// </summary>
    /// <exception cref="RedisBackplaneException">Redis is unreachable; nothing was published.</exception>
    public async Task<long> PublishAsync(string secretId, string? versionId = null, string? versionStage = null, CancellationToken cancellationToken = default)
    {
        var message = new SecretChangeMessage(secretId, versionId, versionStage, InstanceId, _options.TimeProvider.GetUtcNow());
        try
        {
            var receivers = await _subscriber.PublishAsync(_channel, message.ToJson()).WaitAsync(cancellationToken).ConfigureAwait(false);
            _metrics.Published("ok");
            return receivers;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _metrics.Published("failed");
            throw new RedisBackplaneException($"Redis at {_endpoint} is unreachable ({Describe(ex)}); nothing was published.", ex);
        }
    }

    /// <summary>Detaches from the cache, publishes what is still queued (briefly), unsubscribes and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, Disposed) == Disposed)
        {
            return;
        }

        _cache.VersionChanged -= OnVersionChanged;
        if (_cache is SecretCache secretCache && ReferenceEquals(secretCache.Backplane, this))
        {
            secretCache.Backplane = null;
        }

        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _outbox.Writer.TryComplete();
        try
        {
            await _publishLoop.WaitAsync(TimeSpan.FromSeconds(2), _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Redis is slow: the rest is dropped, the TTL covers it.
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _subscribed))
        {
            try
            {
                await _subscriber.UnsubscribeAsync(_channel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // going away anyway
            }
        }

        _inbox.Writer.TryComplete();
        await _receiveLoop.ConfigureAwait(false);

        await _redis.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _stopping.Dispose();
        _subscribeGate.Dispose();
    }

    private async Task StartAsync()
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        if (_redis.IsConnected)
        {
            Interlocked.CompareExchange(ref _state, Connected, Connecting);
            Log.Connected(_logger, _endpoint, ChannelName, InstanceId);
        }
        else
        {
            Interlocked.CompareExchange(ref _state, Disconnected, Connecting);
            Log.Unreachable(_logger, _endpoint, "no connection within the connect timeout");
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        _publishLoop = Task.Run(PublishLoopAsync);
        _cache.VersionChanged += OnVersionChanged;
        if (_cache is SecretCache secretCache)
        {
            secretCache.Backplane = this;
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        if (Volatile.Read(ref _subscribed) || _stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _subscribeGate.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (!_subscribed)
            {
                await _subscriber.SubscribeAsync(_channel, (_, value) => OnMessage(value)).ConfigureAwait(false);
                Volatile.Write(ref _subscribed, true);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.SubscribeFailed(_logger, ChannelName, Describe(ex));
        }
        finally
        {
            _subscribeGate.Release();
        }
    }

    private void OnVersionChanged(object? sender, SecretVersionChangedEventArgs e)
    {
        if (e.RemoteTriggered || e.Request.VersionId is not null)
        {
            return; // asked for by another instance (it announced it already), or a pinned version (never changes)
        }

        Remember(e.Request.SecretId);
        var message = new SecretChangeMessage(e.SecretName, e.VersionId, e.Request.VersionStage, InstanceId, _options.TimeProvider.GetUtcNow());
        _outbox.Writer.TryWrite(message); // never blocks: when full the oldest message is dropped
    }

    private async Task PublishLoopAsync()
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (Interlocked.Exchange(ref _droppedSinceLog, 0) is var dropped and > 0)
            {
                Log.Dropped(_logger, dropped);
            }

            var stage = message.VersionStage ?? SecretRequest.CurrentStage;
            try
            {
                var receivers = await _subscriber.PublishAsync(_channel, message.ToJson()).ConfigureAwait(false);
                _metrics.Published("ok");
                Log.Published(_logger, message.SecretId, stage, message.VersionId, receivers);
            }
            catch (Exception ex)
            {
                _metrics.Published("failed");
                Log.PublishFailed(_logger, message.SecretId, Describe(ex));
            }
        }
    }

    /// <summary>
    /// Called by the Redis client for each message. A message larger than the format allows is dropped without being
    /// copied or parsed; the others wait in a bounded queue (the oldest dropped) for the one receive loop.
    /// </summary>
    private void OnMessage(RedisValue value)
    {
        if (value.IsNull || value.Length() is 0 or > RedisBackplaneDefaults.MaxMessageBytes)
        {
            Malformed(value.IsNull ? 0 : value.Length());
            return;
        }

        _inbox.Writer.TryWrite((byte[])value!);
    }

    private async Task ReceiveLoopAsync()
    {
        await foreach (var body in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Handle(body);
        }
    }

    private void Handle(byte[] body)
    {
        if (!SecretChangeMessage.TryParse(body, out var message) || message is null)
        {
            Malformed(body.Length);
            return;
        }

        string outcome;
        if (message.Origin == InstanceId)
        {
            outcome = "own";
        }
        else
        {
            try
            {
                outcome = _cache.HandleRemoteChange(message.SecretId, message.VersionStage, message.VersionId, message.ObservedAt) ? "refreshed" : "ignored";
                if (outcome == "refreshed")
                {
                    Remember(message.SecretId);
                }
            }
            catch (ArgumentException)
            {
                outcome = "malformed";
            }
            catch (ObjectDisposedException)
            {
                outcome = "ignored";
            }
        }

        _metrics.Receive(outcome);
        Log.Received(_logger, message.SecretId, message.VersionStage ?? SecretRequest.CurrentStage, message.VersionId, message.Origin, outcome);
    }

    /// <summary>Counts and drops a malformed message; the warning is written at most once per 10 s, with how many it stands for.</summary>
    private void Malformed(long bytes)
    {
        _metrics.Receive("malformed");
        if (_malformedLog.TryEnter(out var suppressed))
        {
            Log.Malformed(_logger, bytes, ChannelName, suppressed);
        }
    }

    /// <summary>A secret this instance is known to cache (it changed here, or a message refreshed it), for the reconcile after a reconnect.</summary>
    private void Remember(string secretId)
    {
        if (_seen.Count >= RedisBackplaneDefaults.MaxRemembered)
        {
            _seen.Clear();
        }

        _seen.TryAdd(secretId, 0);
    }

    /// <summary>
    /// After a reconnect: re-reads the cached secrets in one batched warm-up, so a rotation whose message was lost while
    /// the connection was down is caught now instead of at the end of its TTL. A new version found this way is announced
    /// as any other (the other instances that missed it catch up too).
    /// </summary>
    internal async Task<int> ReconcileAsync()
    {
        if (Interlocked.Exchange(ref _reconciling, 1) == 1)
        {
            return 0;
        }

        try
        {
            var cached = _options.CachedSecrets?.Invoke() ?? (_cache is SecretCache own ? own.GetCachedSecretIds() : []);
            var ids = cached.Concat(_seen.Keys).Where(SecretIds.IsValid).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count == 0)
            {
                return 0;
            }

            var report = await _cache.WarmAsync(ids, cancellationToken: _stopping.Token).ConfigureAwait(false);
            _metrics.AddReconciled(ids.Count);
            Log.Reconciled(_logger, report.TotalSecrets, report.StoreCalls, report.Failed);
            return ids.Count;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            Volatile.Write(ref _reconciling, 0);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (Interlocked.CompareExchange(ref _state, Disconnected, Connected) == Connected
            || Interlocked.CompareExchange(ref _state, Disconnected, Connecting) == Connecting)
        {
            Log.Disconnected(_logger, _endpoint, e.ConnectionType, e.FailureType);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (!_redis.IsConnected)
        {
            return;
        }

        var previous = Interlocked.CompareExchange(ref _state, Connected, Disconnected);
        if (previous == Disconnected)
        {
            Log.Reconnected(_logger, _endpoint, e.ConnectionType);
            _ = Task.Run(ReconcileAsync);
        }

        if (previous != Disposed && !Volatile.Read(ref _subscribed))
        {
            _ = Task.Run(EnsureSubscribedAsync);
        }
    }

    private static string DefaultInstanceId() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.MachineName}/{Environment.ProcessId}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    /// <summary>The kind of failure, without the message text (which may echo configuration).</summary>
    private static string Describe(Exception ex) => ex switch
    {
        RedisConnectionException connection => $"{connection.FailureType}",
        _ => ex.GetType().Name,
    };
}
