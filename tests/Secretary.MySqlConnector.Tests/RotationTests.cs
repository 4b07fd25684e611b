using System.Data.Common;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Secretary.Databases.Testing;

namespace Secretary.MySqlConnector.Tests;

/// <summary>The rotation facts (<see cref="RotationTestsBase{TDataSource, TConnection}"/>) for MySqlConnector against a real MariaDB.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class RotationTests(MariaDbFixture fixture) : RotationTestsBase<SecretaryMySqlDataSource, MySqlConnection>(fixture)
{
    protected override string ElsewhereConnectionString => "Server=192.0.2.1;Port=1;Database=nowhere;Pooling=false";

    protected override string UnpooledConnectionString => "Pooling=false;Connection Timeout=15";

    protected override SecretaryMySqlDataSource Build(ISecretCache cache, string secretId, string connectionString, ILoggerFactory? loggerFactory) =>
        new MySqlDataSourceBuilder(connectionString).UseSecretaryCredentials(cache, secretId, o => o.LoggerFactory = loggerFactory).Build();

    protected override CredentialStats Stats(SecretaryMySqlDataSource dataSource)
    {
        var s = dataSource.GetStats();
        return new(s.PhysicalOpens, s.AuthenticationFailures, s.RetriedOpens, s.FailedRetries, s.UnrecoveredFailures, s.CredentialSwitches, s.VersionId, s.Username, s.UsingPendingVersion);
    }

    protected override ValueTask<MySqlConnection> OpenAsync(SecretaryMySqlDataSource dataSource) => dataSource.OpenConnectionAsync();

    protected override MySqlConnection CreateConnection(SecretaryMySqlDataSource dataSource) => dataSource.CreateConnection();

    protected override ValueTask OpenAsync(SecretaryMySqlDataSource dataSource, MySqlConnection connection) => dataSource.OpenAsync(connection);

    protected override async Task<(string User, string Database, int Port)> WhoAsync(MySqlConnection connection)
    {
        await using var command = new MySqlCommand("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), DATABASE(), @@port", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
    }

    protected override bool IsRefusedLogin(Exception exception) =>
        exception is MySqlException { ErrorCode: MySqlErrorCode.AccessDenied } && SecretaryMySqlDataSource.IsAuthenticationFailure(exception);

    protected override DbDataSource PasswordReadOnce(string user, string password) =>
        new MySqlDataSource(new MySqlConnectionStringBuilder { Server = fixture.Server.Host, Port = (uint)fixture.Server.Port, UserID = user, Password = password, Database = DatabaseServer.AppDatabase, Pooling = false }.ConnectionString);
}
