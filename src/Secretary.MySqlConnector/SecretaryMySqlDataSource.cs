using System.Data.Common;
using MySqlConnector;
using Secretary.Databases;

namespace Secretary.MySqlConnector;

/// <summary>
/// A MySqlConnector data source whose credentials come from a secret and follow its rotations:
/// <list type="bullet">
/// <item>Each physical open takes the password from memory (never the network once the secret was read), so a pool
/// never waits on Secrets Manager.</item>
/// <item>When the cache sees a new version (a refresh, the fleet backplane, <c>VersionChanged</c>), new connections use
/// it at once; connections already open are left alone.</item>
/// <item>When the server refuses the login (error 1045, access denied), the secret is refreshed (rate-limited, single
/// flight; AWSPENDING too, for the moment a single-user rotation has set the password but not yet moved AWSCURRENT) and
/// the open is retried once with the new credentials.</item>
/// </list>
/// Open connections through <see cref="OpenConnectionAsync"/> (or <c>CreateCommand</c>) to get the retry; code that
/// creates its own connections can open them with <see cref="OpenAsync(MySqlConnection, CancellationToken)"/>.
/// </summary>
public sealed class SecretaryMySqlDataSource : DbDataSource
{
    private readonly MySqlDataSourceBuilder _mysql;
    private readonly SecretaryCredentialOptions _options;
    private readonly CredentialTracker _tracker;
    private readonly DataSourceSet<MySqlDataSource> _sources;
    private readonly Func<MySqlProvidePasswordContext, string> _providePassword;

    internal SecretaryMySqlDataSource(MySqlDataSourceBuilder mysql, ISecretCache cache, string secretId, SecretaryCredentialOptions options)
    {
        _mysql = mysql;
        _options = options;
        _tracker = new CredentialTracker(cache, secretId, options, "mysql", IsAuthenticationFailure);
        _sources = new DataSourceSet<MySqlDataSource>(BuildSource);
        _providePassword = context => _tracker.PasswordFor(context.UserId);
    }

    /// <summary>The connection string of new connections, without the password. Reads the secret on first use.</summary>
    public override string ConnectionString => Current.ConnectionString;

    /// <summary>The secret the credentials come from.</summary>
    public string SecretId => _tracker.SecretId;

    /// <summary>The MySqlConnector data source new connections come from (it changes when the secret names another user or server).</summary>
    public MySqlDataSource Current => _sources.For(_tracker.Current);

    /// <summary>True for the error MySQL and MariaDB answer a refused login: 1045 (ER_ACCESS_DENIED_ERROR).</summary>
    public static bool IsAuthenticationFailure(Exception exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.AccessDenied };

    /// <inheritdoc cref="DbDataSource.CreateConnection" />
    /// <remarks>The connection is not opened: open it with <see cref="OpenAsync(MySqlConnection, CancellationToken)"/> to retry after a rotation.</remarks>
    public new MySqlConnection CreateConnection() => Create(_tracker.Current);

    /// <summary>Opens a new connection; after an authentication failure, refreshes the credentials and retries once.</summary>
    public new ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        _tracker.OpenAsync(Create, cancellationToken);

    /// <summary>Opens a new connection; after an authentication failure, refreshes the credentials and retries once.</summary>
    public new MySqlConnection OpenConnection() => _tracker.Open(Create);

    /// <summary>
    /// Opens <paramref name="connection"/>, made by <see cref="CreateConnection"/>; after an authentication failure,
    /// refreshes the credentials and retries once on the same connection (same user, that user's newest password).
    /// </summary>
    public ValueTask OpenAsync(MySqlConnection connection, CancellationToken cancellationToken = default)
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

    private MySqlConnection Create(DatabaseCredentials credentials)
    {
        var connection = _sources.For(credentials).CreateConnection();
        connection.ProvidePasswordCallback = _providePassword;
        return connection;
    }

    private MySqlDataSource BuildSource(DatabaseCredentials credentials)
    {
        // Called under the set's lock: one build at a time from the shared builder.
        var settings = _mysql.ConnectionStringBuilder;
        if (_options.UseSecretEndpoint)
        {
            if (credentials.Host is { } host)
            {
                settings.Server = host;
            }

            if (credentials.Port is { } port)
            {
                settings.Port = (uint)port;
            }

            if (credentials.Database is { } database)
            {
                settings.Database = database;
            }
        }

        settings.UserID = credentials.Username;
        return _mysql.Build();
    }
}
