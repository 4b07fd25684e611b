namespace Secretary.Emulator.Tests.Support;

/// <summary>Starts an in-process emulator on a free port for one test and disposes it afterwards.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    private EmulatorFixture(EmulatorServer server, EmulatorClient client)
    {
        Server = server;
        Client = client;
    }

    public EmulatorServer Server { get; }

    public EmulatorClient Client { get; }

    public static async Task<EmulatorFixture> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Port = 0 };
        configure?.Invoke(options);
        var server = await EmulatorServer.StartAsync(options);
        return new EmulatorFixture(server, new EmulatorClient(server.Endpoint, options.TimeProvider));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
