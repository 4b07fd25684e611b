using Secretary.Emulator;

namespace Secretary.Cli.Commands;

/// <summary>Development mode: the emulator in-process, and a store reading from it.</summary>
internal static class DevStore
{
    public static Task<(EmulatorServer Server, ISecretStore Store)> StartAsync(int port, string seed, CancellationToken cancellationToken)
    {
        _ = port;
        _ = seed;
        _ = cancellationToken;
        throw new InvalidOperationException("serve --dev needs the AWS store, which is not built yet; use --store file:samples/dev-secrets.json.");
    }
}
