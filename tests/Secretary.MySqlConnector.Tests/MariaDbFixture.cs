using Secretary.Databases.Testing;

namespace Secretary.MySqlConnector.Tests;

public sealed class MariaDbFixture : DatabaseFixture
{
    protected override async Task<DatabaseServer> StartServerAsync() => await MariaDbServer.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}
