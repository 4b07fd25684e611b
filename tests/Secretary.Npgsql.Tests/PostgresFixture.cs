using Secretary.Databases.Testing;

namespace Secretary.Npgsql.Tests;

public sealed class PostgresFixture : DatabaseFixture
{
    public new PostgresServer Server => (PostgresServer)base.Server;

    protected override async Task<DatabaseServer> StartServerAsync() => await PostgresServer.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
