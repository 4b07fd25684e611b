using Secretary.Databases.Testing;

namespace Secretary.MySqlConnector.Tests;

/// <summary>One MariaDB server, emulator and pair of rotation functions for every test of the collection; stopped at the end.</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server!;

    public RotationRig Rig { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await MariaDbServer.StartAsync();
        Rig = await RotationRig.StartAsync(_server);
    }

    public async Task DisposeAsync()
    {
        if (Rig is not null)
        {
            await Rig.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "mariadb";
}
