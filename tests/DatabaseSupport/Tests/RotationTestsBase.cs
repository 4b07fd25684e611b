using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Secretary.Testing;
using Xunit;

namespace Secretary.Databases.Testing;

/// <summary>
/// What a rotation does to connection opens, against a real server, the emulator process and the sample rotation
/// functions: the same facts for every driver (each test project derives one class per driver).
/// </summary>
public abstract class RotationTestsBase<TDataSource, TConnection>(DatabaseFixture fixture) : IAsyncLifetime
    where TDataSource : DbDataSource
    where TConnection : DbConnection
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(300);
    private readonly FakeLogCollector _logs = new();
    private readonly List<IAsyncDisposable> _disposables = [];
    private SecretCache _cache = null!;
    private IDisposable _store = null!;

    private RotationRig Rig => fixture.Rig;

    /// <summary>A connection string that points nowhere: the secret's host, port and database must replace it.</summary>
    protected abstract string ElsewhereConnectionString { get; }

    /// <summary>Unpooled, so every open is a physical one.</summary>
    protected abstract string UnpooledConnectionString { get; }

    protected abstract TDataSource Build(ISecretCache cache, string secretId, string connectionString, ILoggerFactory? loggerFactory);

    protected abstract CredentialStats Stats(TDataSource dataSource);

    protected abstract ValueTask<TConnection> OpenAsync(TDataSource dataSource);

    protected abstract TConnection CreateConnection(TDataSource dataSource);

    protected abstract ValueTask OpenAsync(TDataSource dataSource, TConnection connection);

    /// <summary>The user, database and port of the session.</summary>
    protected abstract Task<(string User, string Database, int Port)> WhoAsync(TConnection connection);

    /// <summary>True for the driver's refused-login error.</summary>
    protected abstract bool IsRefusedLogin(Exception exception);

    /// <summary>A plain driver data source with the password in its connection string (the naive pattern).</summary>
    protected abstract DbDataSource PasswordReadOnce(string user, string password);

    public Task InitializeAsync()
    {
        (_cache, _store) = Rig.NewCache(Ttl, minRefreshInterval: TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        _cache.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Connects_as_the_secrets_user_to_its_host_port_and_database()
    {
        var (secretId, user, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId, ElsewhereConnectionString);

        await using var connection = await OpenAsync(dataSource);

        Assert.Equal((user, DatabaseServer.AppDatabase, fixture.Server.Port), await WhoAsync(connection));
        var stats = Stats(dataSource);
        Assert.Equal((await Rig.Client.GetAsync(secretId)).VersionId, stats.VersionId);
        Assert.Equal(user, stats.Username);
        Assert.Equal(1, stats.PhysicalOpens);
        Assert.DoesNotContain("Password", dataSource.ConnectionString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Single_user_rotation_seen_through_VersionChanged_switches_new_connections_with_no_refused_open()
    {
        var (secretId, user, oldPassword) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId);
        await (await OpenAsync(dataSource)).DisposeAsync();

        var (version, value) = await Rig.RotateAsync(secretId, RotationRig.SingleUser);
        var changed = VersionChangedAsync(secretId);
        Assert.True(_cache.HandleRemoteChange(secretId, SecretRequest.CurrentStage, version, TimeProvider.System.GetUtcNow()));
        await changed;

        Assert.Equal(version, Stats(dataSource).VersionId);
        await using (var connection = await OpenAsync(dataSource))
        {
            Assert.Equal(user, (await WhoAsync(connection)).User);
        }

        var stats = Stats(dataSource);
        Assert.Equal((0, 0, 1), (stats.AuthenticationFailures, stats.RetriedOpens, stats.CredentialSwitches));
        Assert.False(await fixture.Server.CanLoginAsync(user, oldPassword), "the rotation changed the password on the server");
        Assert.True(await fixture.Server.CanLoginAsync(user, (string)value["password"]!));
    }

    [Fact]
    public async Task Single_user_rotation_the_cache_has_not_seen_costs_one_refused_and_retried_open()
    {
        var (secretId, _, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId);
        await (await OpenAsync(dataSource)).DisposeAsync();

        var (version, _) = await Rig.RotateAsync(secretId, RotationRig.SingleUser);
        for (var i = 0; i < 5; i++)
        {
            await (await OpenAsync(dataSource)).DisposeAsync();
        }

        var stats = Stats(dataSource);
        Assert.Equal((1, 1, 0, 0), (stats.AuthenticationFailures, stats.RetriedOpens, stats.FailedRetries, stats.UnrecoveredFailures));
        Assert.Equal(version, stats.VersionId);
        Assert.Equal(version, (await _cache.GetAsync(secretId)).VersionId);
    }

    [Fact]
    public async Task Opens_between_setSecret_and_finishSecret_log_in_with_the_pending_password()
    {
        var (secretId, user, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId);
        await (await OpenAsync(dataSource)).DisposeAsync();
        var (before, _) = await Rig.Client.GetAsync(secretId);

        // finishSecret fails: the server has the new password, AWSCURRENT still the old one.
        await Rig.SetFaultsAsync("""{"operations":{"UpdateSecretVersionStage":{"errorRate":1,"errorType":"InvalidRequestException"}}}""");
        string pending;
        try
        {
            pending = await Rig.Client.RotateAsync(secretId, RotationRig.SingleUser);
        }
        finally
        {
            await Rig.SetFaultsAsync(null);
        }

        Assert.Equal(before, (await Rig.Client.GetAsync(secretId)).VersionId);
        await using (var connection = await OpenAsync(dataSource))
        {
            Assert.Equal(user, (await WhoAsync(connection)).User);
        }

        var stats = Stats(dataSource);
        Assert.True(stats.UsingPendingVersion);
        Assert.Equal((pending, 1, 1), (stats.VersionId, stats.AuthenticationFailures, stats.RetriedOpens));

        // The next rotation resumes the same version and moves AWSCURRENT; the cache sees it, the login stays.
        Assert.Equal(pending, (await Rig.RotateAsync(secretId, RotationRig.SingleUser)).VersionId);
        await _cache.RefreshAsync(secretId);
        await (await OpenAsync(dataSource)).DisposeAsync();
        stats = Stats(dataSource);
        Assert.False(stats.UsingPendingVersion);
        Assert.Equal((pending, 1, 1), (stats.VersionId, stats.AuthenticationFailures, stats.CredentialSwitches));
    }

    [Fact]
    public async Task Alternating_users_rotation_never_refuses_an_open_and_switches_users_on_VersionChanged()
    {
        var (secretId, user, _) = await Rig.CreateAppSecretAsync(RotationRig.AlternatingUsers);
        var dataSource = Build(secretId);
        await using var held = await OpenAsync(dataSource);

        var (first, _) = await Rig.RotateAsync(secretId, RotationRig.AlternatingUsers);
        await using (var connection = await OpenAsync(dataSource))
        {
            Assert.Equal(user, (await WhoAsync(connection)).User); // not seen yet: the old user still logs in
        }

        await _cache.RefreshAsync(secretId);
        await using (var connection = await OpenAsync(dataSource))
        {
            Assert.Equal(user + "_clone", (await WhoAsync(connection)).User);
        }

        var (second, value) = await Rig.RotateAsync(secretId, RotationRig.AlternatingUsers);
        Assert.Equal(user, (string)value["username"]!);
        await _cache.RefreshAsync(secretId);
        await using (var connection = await OpenAsync(dataSource))
        {
            Assert.Equal(user, (await WhoAsync(connection)).User);
        }

        Assert.Equal(user, (await WhoAsync(held)).User); // opened before both rotations, still working
        var stats = Stats(dataSource);
        Assert.Equal((0, 0, 2, second), (stats.AuthenticationFailures, stats.RetriedOpens, stats.CredentialSwitches, stats.VersionId));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Concurrent_opens_across_a_single_user_rotation_fail_none_and_retry_at_most_once_each()
    {
        const int Workers = 8;
        var (secretId, _, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId);
        await (await OpenAsync(dataSource)).DisposeAsync();
        using var stop = new CancellationTokenSource();
        var opens = new long[Workers];
        var failures = new List<Exception>();

        async Task WorkAsync(int worker)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await OpenAsync(dataSource);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync();
                    Interlocked.Increment(ref opens[worker]);
                }
                catch (DbException ex) when (IsRefusedLogin(ex))
                {
                    lock (failures)
                    {
                        failures.Add(ex);
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(i => Task.Run(() => WorkAsync(i))).ToArray();
        await Eventually.TrueAsync(() => opens.All(o => Interlocked.Read(ref o) > 0), "every worker opened a connection");
        var (version, _) = await Rig.RotateAsync(secretId, RotationRig.SingleUser);
        var after = opens.Select(o => Interlocked.Read(ref o)).ToArray();
        await Eventually.TrueAsync(() => Enumerable.Range(0, Workers).All(i => Interlocked.Read(ref opens[i]) > after[i] + 2), "every worker opened connections after the rotation");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        var stats = Stats(dataSource);
        Assert.Equal(version, stats.VersionId);
        Assert.InRange(stats.RetriedOpens, 1, Workers);
        Assert.Equal((0, 0), (stats.FailedRetries, stats.UnrecoveredFailures));
    }

    [Fact]
    public async Task A_password_read_once_fails_after_a_rotation()
    {
        var (secretId, user, password) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        await using var dataSource = PasswordReadOnce(user, password);
        await (await dataSource.OpenConnectionAsync()).DisposeAsync();

        await Rig.RotateAsync(secretId, RotationRig.SingleUser);

        var refused = await Assert.ThrowsAnyAsync<DbException>(async () => await dataSource.OpenConnectionAsync());
        Assert.True(IsRefusedLogin(refused), refused.ToString());
    }

    [Fact]
    public async Task A_refused_login_with_nothing_new_in_the_secret_reaches_the_caller_and_never_shows_the_password()
    {
        var (secretId, _, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var (_, value) = await Rig.Client.GetAsync(secretId);
        value["password"] = Canary.Value; // not the user's password
        await Rig.Client.PutSecretValueAsync(secretId, value.ToJsonString(), SecretRequest.CurrentStage);
        var dataSource = Build(secretId, logs: true);

        var refused = await Assert.ThrowsAnyAsync<DbException>(async () => await OpenAsync(dataSource));

        Assert.True(IsRefusedLogin(refused), refused.ToString());
        var stats = Stats(dataSource);
        Assert.Equal((1, 0, 1), (stats.AuthenticationFailures, stats.RetriedOpens, stats.UnrecoveredFailures));
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Name == "NotRecovered");
        Canary.AssertAbsent([refused.ToString(), .. _logs.GetSnapshot().Select(r => r.Message), .. _logs.GetSnapshot().Select(r => r.Exception?.ToString())]);
    }

    [Fact]
    public async Task A_connection_created_before_a_rotation_opens_with_a_retry_on_the_same_connection()
    {
        var (secretId, _, _) = await Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        var dataSource = Build(secretId);
        await using var connection = CreateConnection(dataSource);

        await Rig.RotateAsync(secretId, RotationRig.SingleUser);
        await OpenAsync(dataSource, connection);

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal((1, 1), (Stats(dataSource).AuthenticationFailures, Stats(dataSource).RetriedOpens));
    }

    private TDataSource Build(string secretId, string? connectionString = null, bool logs = false)
    {
        var loggerFactory = logs ? LoggerFactory.Create(l => l.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(_logs))) : null;
        var dataSource = Build(_cache, secretId, connectionString ?? UnpooledConnectionString, loggerFactory);
        _disposables.Add(dataSource);
        return dataSource;
    }

    private Task VersionChangedAsync(string secretId)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _cache.VersionChanged += (_, e) =>
        {
            if (e.Request.SecretId == secretId)
            {
                changed.TrySetResult();
            }
        };
        return changed.Task.WaitAsync(Eventually.Deadline);
    }
}
