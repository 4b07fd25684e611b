using Xunit;

namespace Secretary.Databases.Testing;

/// <summary>One database server, emulator and pair of rotation functions for every test of a collection; stopped at the end.</summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private DatabaseServer? _server;

    public DatabaseServer Server => _server!;

    public RotationRig Rig { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StartServerAsync();
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

    protected abstract Task<DatabaseServer> StartServerAsync();
}
