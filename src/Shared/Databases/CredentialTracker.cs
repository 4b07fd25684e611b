using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
#if SECRETARY_NPGSQL
using Secretary.Npgsql;
#else
using Secretary.MySqlConnector;
#endif

namespace Secretary.Databases;

/// <summary>
/// The credentials a data source's new connections use, kept from a secret in the cache:
/// <list type="bullet">
/// <item>Each physical open asks <see cref="PasswordFor"/>, which answers from memory (never the network) and touches the
/// cache, so a version the cache already holds — refreshed ahead of its TTL, or after a <c>VersionChanged</c> from the
/// backplane — is taken before the password is handed out.</item>
/// <item><c>VersionChanged</c> of the secret's AWSCURRENT switches new connections at once.</item>
/// <item>An authentication failure runs <see cref="RecoverAsync"/>: one recovery per failed login (single flight), which
/// reads AWSCURRENT from the store, then AWSPENDING, then — when AWSPENDING is gone, as finishSecret may have moved
/// AWSCURRENT meanwhile — AWSCURRENT again. A login that nothing recovered is not retried against the store for a second.</item>
/// </list>
/// Passwords are kept per user, so connections of the previous user (alternating-users rotation) still open with its
/// last known password while the new user takes over.
/// </summary>
internal sealed partial class CredentialTracker : IDisposable
{
    private static readonly SecretReadOptions PendingRead = new() { VersionStage = SecretRequest.PendingStage };

    /// <summary>A read that only a value fetched from now on satisfies (single flight with other readers of the secret).</summary>
    private static readonly SecretReadOptions FreshRead = new() { Ttl = TimeSpan.FromMilliseconds(1) };

    /// <summary>After a recovery found nothing for a login, further failures of that login within this pause ask the store nothing.</summary>
    private static readonly TimeSpan UnrecoveredPause = TimeSpan.FromSeconds(1);

    private readonly ISecretCache _cache;
    private readonly string _secretId;
    private readonly SecretaryCredentialOptions _options;
    private readonly Func<Exception, bool> _isAuthenticationFailure;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _failureCounter;
    private readonly Counter<long> _retryCounter;
    private readonly Counter<long> _switchCounter;
    private readonly KeyValuePair<string, object?> _systemTag;
    private DatabaseCredentials? _current;
    private readonly TimeProvider _time = TimeProvider.System;
    private (DatabaseCredentials Failed, Task<bool> Task)? _recovery;
    private (DatabaseCredentials Login, long At)? _lastUnrecovered;
    private long _physicalOpens;
    private long _authenticationFailures;
    private long _retriedOpens;
    private long _failedRetries;
    private long _unrecovered;
    private long _switches;
    private int _disposed;

    public CredentialTracker(ISecretCache cache, string secretId, SecretaryCredentialOptions options, string system, Func<Exception, bool> isAuthenticationFailure)
    {
        _systemTag = new("db.system", system);
        _ownsMeter = options.MeterFactory is null;
        _meter = options.MeterFactory?.Create("Secretary") ?? new Meter("Secretary");
        _failureCounter = _meter.CreateCounter<long>("secretary.db.authentication_failures", "{open}", "Opens the database refused for the login");
        _retryCounter = _meter.CreateCounter<long>("secretary.db.retried_opens", "{open}", "Opens retried after an authentication failure brought new credentials");
        _switchCounter = _meter.CreateCounter<long>("secretary.db.credential_switches", "{switch}", "Times new connections switched to another login");
        _cache = cache;
        _secretId = secretId;
        _options = options;
        _isAuthenticationFailure = isAuthenticationFailure;
        _logger = options.LoggerFactory?.CreateLogger("Secretary.Databases") ?? NullLogger.Instance;
        _cache.VersionChanged += OnVersionChanged;
    }

    /// <summary>Raised (outside any lock) after new connections switched to other credentials.</summary>
    public event Action<DatabaseCredentials>? Switched;

    public string SecretId => _secretId;

    /// <summary>The credentials for new connections; the first call reads the secret (blocking only then).</summary>
    public DatabaseCredentials Current
    {
        get
        {
            if (Volatile.Read(ref _current) is { } current)
            {
                Touch();
                return Volatile.Read(ref _current)!;
            }

            AdoptCurrent(_cache.Get(_secretId));
            return Volatile.Read(ref _current)!;
        }
    }

    /// <summary>The credentials for new connections; the first call reads the secret.</summary>
    public async ValueTask<DatabaseCredentials> GetCurrentAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is not null)
        {
            Touch();
            return Volatile.Read(ref _current)!;
        }

        AdoptCurrent(await _cache.GetAsync(_secretId, cancellationToken: cancellationToken).ConfigureAwait(false));
        return Volatile.Read(ref _current)!;
    }

    /// <summary>The password a physical open of <paramref name="username"/> uses: the newest known for that user. Never waits.</summary>
    public string PasswordFor(string? username)
    {
        Interlocked.Increment(ref _physicalOpens);
        var current = Current;
        return username is not null && _passwords.TryGetValue(username, out var password) ? password : current.Password;
    }

    public SecretaryCredentialStats GetStats()
    {
        var current = Volatile.Read(ref _current);
        return new SecretaryCredentialStats
        {
            PhysicalOpens = Interlocked.Read(ref _physicalOpens),
            AuthenticationFailures = Interlocked.Read(ref _authenticationFailures),
            RetriedOpens = Interlocked.Read(ref _retriedOpens),
            FailedRetries = Interlocked.Read(ref _failedRetries),
            UnrecoveredFailures = Interlocked.Read(ref _unrecovered),
            CredentialSwitches = Interlocked.Read(ref _switches),
            VersionId = current?.VersionId,
            Username = current?.Username,
            UsingPendingVersion = current?.FromPending ?? false,
        };
    }

    /// <summary>Creates a connection for the current credentials and opens it; on an authentication failure recovers and retries once.</summary>
    public async ValueTask<TConnection> OpenAsync<TConnection>(Func<DatabaseCredentials, TConnection> create, CancellationToken cancellationToken)
        where TConnection : DbConnection
    {
        var credentials = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var connection = create(credentials);
        ExceptionDispatchInfo failure;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (_isAuthenticationFailure(ex))
        {
            failure = ExceptionDispatchInfo.Capture(ex);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (!await RecoverAsync(credentials, cancellationToken).ConfigureAwait(false))
        {
            failure.Throw();
        }

        CountRetry();
        connection = create(Current);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            CountFailedRetry(ex);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The synchronous form of <see cref="OpenAsync{TConnection}"/>.</summary>
    public TConnection Open<TConnection>(Func<DatabaseCredentials, TConnection> create)
        where TConnection : DbConnection
    {
        var credentials = Current;
        var connection = create(credentials);
        ExceptionDispatchInfo failure;
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex) when (_isAuthenticationFailure(ex))
        {
            failure = ExceptionDispatchInfo.Capture(ex);
            connection.Dispose();
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (!RecoverAsync(credentials, CancellationToken.None).GetAwaiter().GetResult())
        {
            failure.Throw();
        }

        CountRetry();
        connection = create(Current);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex)
        {
            CountFailedRetry(ex);
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a connection the caller created (an ORM's), recovering and retrying once on the same connection after an
    /// authentication failure. The retry logs in as the same user, with that user's newest password.
    /// </summary>
    public async ValueTask OpenExistingAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var credentials = await GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        ExceptionDispatchInfo failure;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (_isAuthenticationFailure(ex))
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        if (!await RecoverAsync(credentials, cancellationToken).ConfigureAwait(false))
        {
            failure.Throw();
        }

        CountRetry();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CountFailedRetry(ex);
            throw;
        }
    }

    /// <summary>
    /// An open with <paramref name="failed"/> was refused for its login. True when new connections now use other
    /// credentials (worth one retry): another caller's recovery or a <c>VersionChanged</c> already moved on, a fresh
    /// AWSCURRENT differs, or AWSPENDING holds a rotation's new password. One recovery runs per failed login; other
    /// callers wait for it.
    /// </summary>
    public async Task<bool> RecoverAsync(DatabaseCredentials failed, CancellationToken cancellationToken)
    {
        CountFailure();
        Task<bool> recovery;
        lock (_gate)
        {
            if (_current is { } current && !current.SameLogin(failed))
            {
                return true;
            }

            if (_recovery is { } running && !running.Task.IsCompleted && running.Failed.SameLogin(failed))
            {
                recovery = running.Task;
            }
            else
            {
                recovery = RecoverCoreAsync(failed);
                _recovery = (failed, recovery);
            }
        }

        var recovered = await recovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!recovered)
        {
            Interlocked.Increment(ref _unrecovered);
        }

        return recovered;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cache.VersionChanged -= OnVersionChanged;
            if (_ownsMeter)
            {
                _meter.Dispose();
            }
        }
    }

    private void CountFailure()
    {
        Interlocked.Increment(ref _authenticationFailures);
        _failureCounter.Add(1, _systemTag);
    }

    /// <summary>Counts a retried open; the counter is recorded on the caller's flow (a listener sees the caller's async-local state).</summary>
    private void CountRetry()
    {
        Interlocked.Increment(ref _retriedOpens);
        _retryCounter.Add(1, _systemTag);
    }

    private async Task<bool> RecoverCoreAsync(DatabaseCredentials failed)
    {
        // The flight is shared by every caller that failed with this login: no caller's cancellation ends it.
        await Task.Yield();
        lock (_gate)
        {
            if (_lastUnrecovered is { } last && last.Login.SameLogin(failed) && _time.GetElapsedTime(last.At) < UnrecoveredPause)
            {
                return false; // the same refused login just now: the store is not asked again within the pause
            }
        }

        Log.AuthenticationFailed(_logger, _secretId, failed.Username, failed.VersionId);

        // 1. AWSCURRENT as the store has it now: a rotation this cache has not seen yet.
        if (await AdoptFreshCurrentAsync(failed).ConfigureAwait(false))
        {
            return true;
        }

        if (_options.TryPendingOnAuthenticationFailure)
        {
            // 2. AWSPENDING: a single-user rotation between setSecret and finishSecret.
            var pendingMissing = false;
            try
            {
                var current = Volatile.Read(ref _current)!;
                var pending = await _cache.RefreshAsync(_secretId, PendingRead, CancellationToken.None).ConfigureAwait(false);
                if (pending.VersionId != current.VersionId)
                {
                    var credentials = DatabaseCredentials.FromSecret(pending, current.CurrentVersionId, fromPending: true);
                    if (!credentials.SameLogin(failed))
                    {
                        Switch(credentials);
                        return true;
                    }
                }
            }
            catch (SecretNotFoundException)
            {
                pendingMissing = true;
            }
            catch (SecretaryException ex)
            {
                Log.RefreshFailed(_logger, _secretId, SecretRequest.PendingStage, ex.GetType().Name);
            }

            // 3. No AWSPENDING: finishSecret may have moved AWSCURRENT after step 1 read it.
            if (pendingMissing && await AdoptFreshCurrentAsync(failed).ConfigureAwait(false))
            {
                return true;
            }
        }

        lock (_gate)
        {
            _lastUnrecovered = (failed, _time.GetTimestamp());
        }

        Log.NotRecovered(_logger, _secretId, failed.Username, failed.VersionId);
        return false;
    }

    /// <summary>Reads AWSCURRENT from the store (a value cached before this call does not do) and takes it; true when new connections now log in differently from <paramref name="failed"/>.</summary>
    private async Task<bool> AdoptFreshCurrentAsync(DatabaseCredentials failed)
    {
        try
        {
            AdoptCurrent(await _cache.GetAsync(_secretId, FreshRead, CancellationToken.None).ConfigureAwait(false));
        }
        catch (SecretaryException ex)
        {
            Log.RefreshFailed(_logger, _secretId, SecretRequest.CurrentStage, ex.GetType().Name);
        }

        return !Volatile.Read(ref _current)!.SameLogin(failed);
    }

    private void CountFailedRetry(Exception ex)
    {
        if (_isAuthenticationFailure(ex))
        {
            CountFailure();
            Interlocked.Increment(ref _failedRetries);
        }
    }

    private void OnVersionChanged(object? sender, SecretVersionChangedEventArgs e)
    {
        if (e.Request.VersionId is null
            && (e.Request.VersionStage ?? SecretRequest.CurrentStage) == SecretRequest.CurrentStage
            && (e.Request.SecretId == _secretId || e.SecretName == _secretId))
        {
            Touch();
        }
    }

    /// <summary>Reads the secret from the cache without waiting: a cached value is taken now, a miss when it lands.</summary>
    private void Touch()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            var read = _cache.GetAsync(_secretId);
            if (read.IsCompletedSuccessfully)
            {
                AdoptCurrent(read.Result);
            }
            else
            {
                _ = AdoptWhenReadAsync(read);
            }
        }
        catch (Exception ex) when (ex is SecretaryException or ObjectDisposedException)
        {
            Log.RefreshFailed(_logger, _secretId, SecretRequest.CurrentStage, ex.GetType().Name);
        }
    }

    private async Task AdoptWhenReadAsync(ValueTask<Secret> read)
    {
        try
        {
            AdoptCurrent(await read.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is SecretaryException or ObjectDisposedException)
        {
            Log.RefreshFailed(_logger, _secretId, SecretRequest.CurrentStage, ex.GetType().Name);
        }
    }

    /// <summary>Takes an AWSCURRENT version: unless it is the one the current credentials were taken with.</summary>
    private void AdoptCurrent(Secret secret)
    {
        // The version the current credentials were taken with (while they come from AWSPENDING, the AWSCURRENT that
        // was cached then: AWSCURRENT has not moved yet, so the pending password the server accepts stays).
        if (Volatile.Read(ref _current) is { } current && current.CurrentVersionId == secret.VersionId)
        {
            return;
        }

        Switch(DatabaseCredentials.FromSecret(secret));
    }

    private void Switch(DatabaseCredentials next)
    {
        DatabaseCredentials? previous;
        lock (_gate)
        {
            previous = _current;
            if (previous is not null && previous.VersionId == next.VersionId && previous.FromPending == next.FromPending)
            {
                return;
            }

            _passwords[next.Username] = next.Password;
            Volatile.Write(ref _current, next);
        }

        if (previous is null || previous.SameLogin(next))
        {
            return;
        }

        Interlocked.Increment(ref _switches);
        _switchCounter.Add(1, _systemTag);
        Log.Switched(_logger, _secretId, previous.VersionId, next.VersionId, next.Username, next.FromPending);
        Switched?.Invoke(next);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Database credentials {SecretId}: new connections switched from version {PreviousVersionId} to {VersionId} (user {Username}, pending {FromPending})", EventName = "CredentialsSwitched")]
        public static partial void Switched(ILogger logger, string secretId, string previousVersionId, string versionId, string username, bool fromPending);

        [LoggerMessage(2, LogLevel.Warning, "Database credentials {SecretId}: the server refused user {Username} (version {VersionId}); refreshing the secret", EventName = "AuthenticationFailed")]
        public static partial void AuthenticationFailed(ILogger logger, string secretId, string username, string versionId);

        [LoggerMessage(3, LogLevel.Error, "Database credentials {SecretId}: the server refused user {Username} (version {VersionId}) and the secret holds no other credentials (AWSCURRENT, AWSPENDING); the error goes to the caller", EventName = "NotRecovered")]
        public static partial void NotRecovered(ILogger logger, string secretId, string username, string versionId);

        [LoggerMessage(4, LogLevel.Warning, "Database credentials {SecretId}: reading {VersionStage} failed ({Error}); new connections keep the credentials they have", EventName = "RefreshFailed")]
        public static partial void RefreshFailed(ILogger logger, string secretId, string versionStage, string error);
    }
}
