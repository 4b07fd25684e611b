namespace Secretary.Conformance.Support;

/// <summary>
/// One emulator process shared by the tests of a class (each test uses its own secret names), with the sample
/// single-user rotation function registered as <c>single-user</c> and its users file in a folder of its own.
/// </summary>
public sealed class EmulatorProcessFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-conformance-").FullName;
    private EmulatorProcess? _emulator;

    internal EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The emulator did not start.");

    internal AwsCli Aws => new(Emulator.Endpoint);

    /// <summary>Gets the runs of check scripts against this emulator, by client (each runs once for the class).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, CheckRun> Runs { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the environment a check needs to reach the sample function's service (its users file).</summary>
    internal Dictionary<string, string?> CheckEnvironment => new() { ["ROTATION_USERS_FILE"] = Path.Combine(_directory, "users.json") };

    public async Task InitializeAsync()
    {
        var sample = Path.Combine(RepoRoot.Path, "samples", "RotationFunction", "single_user_rotation.py");
        _emulator = await EmulatorProcess.StartAsync(CheckEnvironment, "--rotation-function", "single-user=cmd:" + sample);
    }

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
