using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Secretary.Databases.Testing;

namespace Secretary.Npgsql.Tests;

/// <summary>The rotation facts (<see cref="RotationTestsBase{TDataSource, TConnection}"/>) for Npgsql against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RotationTests(PostgresFixture fixture) : RotationTestsBase<SecretaryNpgsqlDataSource, NpgsqlConnection>(fixture)
{
    protected override string ElsewhereConnectionString => "Host=192.0.2.1;Port=1;Database=nowhere;Pooling=false";

    protected override string UnpooledConnectionString => "Pooling=false;Timeout=15";

    protected override SecretaryNpgsqlDataSource Build(ISecretCache cache, string secretId, string connectionString, ILoggerFactory? loggerFactory) =>
        new NpgsqlDataSourceBuilder(connectionString).UseSecretaryCredentials(cache, secretId, o => o.LoggerFactory = loggerFactory).Build();

    protected override CredentialStats Stats(SecretaryNpgsqlDataSource dataSource)
    {
        var s = dataSource.GetStats();
        return new(s.PhysicalOpens, s.AuthenticationFailures, s.RetriedOpens, s.FailedRetries, s.UnrecoveredFailures, s.CredentialSwitches, s.VersionId, s.Username, s.UsingPendingVersion);
    }

    protected override ValueTask<NpgsqlConnection> OpenAsync(SecretaryNpgsqlDataSource dataSource) => dataSource.OpenConnectionAsync();

    protected override NpgsqlConnection CreateConnection(SecretaryNpgsqlDataSource dataSource) => dataSource.CreateConnection();

    protected override ValueTask OpenAsync(SecretaryNpgsqlDataSource dataSource, NpgsqlConnection connection) => dataSource.OpenAsync(connection);

    protected override async Task<(string User, string Database, int Port)> WhoAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT current_user, current_database(), inet_server_port()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
    }

    protected override bool IsRefusedLogin(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } && SecretaryNpgsqlDataSource.IsAuthenticationFailure(exception);

    protected override DbDataSource PasswordReadOnce(string user, string password) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder { Host = fixture.Server.Host, Port = fixture.Server.Port, Username = user, Password = password, Database = DatabaseServer.AppDatabase, Pooling = false });
}
