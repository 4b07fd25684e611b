using System.Data.Common;
using Npgsql;
using Secretary.Databases;

namespace Secretary.Npgsql;

/// <summary>
/// An Npgsql data source whose credentials come from a secret and follow its rotations:
/// <list type="bullet">
/// <item>Each physical open takes the password from memory (never the network once the secret was read), so a pool
/// never waits on Secrets Manager.</item>
/// <item>When the cache sees a new version (a refresh, the fleet backplane, <c>VersionChanged</c>), new connections use
/// it at once; connections already open are left alone.</item>
/// <item>When PostgreSQL refuses the login (SQLSTATE 28P01), the secret is refreshed (rate-limited, single flight;
/// AWSPENDING too, for the moment a single-user rotation has set the password but not yet moved AWSCURRENT) and the
/// open is retried once with the new credentials.</item>
/// </list>
/// Open connections through <see cref="OpenConnectionAsync"/> (or <c>CreateCommand</c>) to get the retry; an ORM that
/// creates its own connections (EF Core) can open them with <see cref="OpenAsync(NpgsqlConnection, CancellationToken)"/>.
/// </summary>
public sealed class SecretaryNpgsqlDataSource : DbDataSource
{
    private readonly NpgsqlDataSourceBuilder _npgsql;
    private readonly SecretaryCredentialOptions _options;
    private readonly CredentialTracker _tracker;
    private readonly DataSourceSet<NpgsqlDataSource> _sources;

    internal SecretaryNpgsqlDataSource(NpgsqlDataSourceBuilder npgsql, ISecretCache cache, string secretId, SecretaryCredentialOptions options)
    {
        _npgsql = npgsql;
        _options = options;
        _tracker = new CredentialTracker(cache, secretId, options, "postgresql", IsAuthenticationFailure);
        _npgsql.UsePasswordProvider(
            settings => _tracker.PasswordFor(settings.Username),
            (settings, _) => new ValueTask<string>(_tracker.PasswordFor(settings.Username)));
        _sources = new DataSourceSet<NpgsqlDataSource>(BuildSource);
    }

    /// <summary>The connection string of new connections, without the password. Reads the secret on first use.</summary>
    public override string ConnectionString => Current.ConnectionString;

    /// <summary>The secret the credentials come from.</summary>
    public string SecretId => _tracker.SecretId;

    /// <summary>The Npgsql data source new connections come from (it changes when the secret names another user or server).</summary>
    public NpgsqlDataSource Current => _sources.For(_tracker.Current);

    /// <summary>True for the error PostgreSQL answers a refused password: SQLSTATE 28P01 (invalid_password).</summary>
    public static bool IsAuthenticationFailure(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword };

    /// <inheritdoc cref="DbDataSource.CreateConnection" />
    /// <remarks>The connection is not opened: open it with <see cref="OpenAsync(NpgsqlConnection, CancellationToken)"/> to retry after a rotation.</remarks>
    public new NpgsqlConnection CreateConnection() => Current.CreateConnection();

    /// <summary>Opens a new connection; after an authentication failure, refreshes the credentials and retries once.</summary>
    public new ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        _tracker.OpenAsync(credentials => _sources.For(credentials).CreateConnection(), cancellationToken);

    /// <summary>Opens a new connection; after an authentication failure, refreshes the credentials and retries once.</summary>
    public new NpgsqlConnection OpenConnection() => _tracker.Open(credentials => _sources.For(credentials).CreateConnection());

    /// <summary>
    /// Opens <paramref name="connection"/>, made by <see cref="CreateConnection"/>; after an authentication failure,
    /// refreshes the credentials and retries once on the same connection (same user, that user's newest password).
    /// For ORMs that create connections themselves (an EF Core <c>DbConnectionInterceptor</c>'s <c>ConnectionOpeningAsync</c>).
    /// </summary>
    public ValueTask OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _tracker.OpenExistingAsync(connection, cancellationToken);
    }

    /// <summary>The credential counters: physical opens, authentication failures, retried opens, switches, the version in use.</summary>
    public SecretaryCredentialStats GetStats() => _tracker.GetStats();

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => CreateConnection();

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection() => OpenConnection();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tracker.Dispose();
            _sources.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        _tracker.Dispose();
        await _sources.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    private NpgsqlDataSource BuildSource(DatabaseCredentials credentials)
    {
        // Called under the set's lock: one build at a time from the shared builder.
        var settings = _npgsql.ConnectionStringBuilder;
        if (_options.UseSecretEndpoint)
        {
            if (credentials.Host is { } host)
            {
                settings.Host = host;
            }

            if (credentials.Port is { } port)
            {
                settings.Port = port;
            }

            if (credentials.Database is { } database)
            {
                settings.Database = database;
            }
        }

        settings.Username = credentials.Username;
        return _npgsql.Build();
    }
}
