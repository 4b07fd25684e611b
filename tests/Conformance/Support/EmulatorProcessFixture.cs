namespace Secretary.Conformance.Support;

/// <summary>One emulator process shared by the tests of a class (each test uses its own secret names).</summary>
public sealed class EmulatorProcessFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    internal EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The emulator did not start.");

    internal AwsCli Aws => new(Emulator.Endpoint);

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
