using System.Data.Common;
using MySqlConnector;

namespace Secretary.DatabaseRotation;

/// <summary>The naive pattern for MySqlConnector: each physical open takes the password from a TTL cache, and nothing retries.</summary>
internal sealed class NaiveMySqlDataSource(string connectionString, Func<string> password) : DbDataSource
{
    private readonly MySqlDataSource _inner = new(connectionString);

    public override string ConnectionString => _inner.ConnectionString;

    protected override DbConnection CreateDbConnection()
    {
        var connection = _inner.CreateConnection();
        connection.ProvidePasswordCallback = _ => password();
        return connection;
    }

    protected override async ValueTask DisposeAsyncCore() => await _inner.DisposeAsync();
}
