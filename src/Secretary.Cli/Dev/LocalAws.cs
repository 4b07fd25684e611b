using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Secretary.Aws;
using Secretary.Emulator;

namespace Secretary.Cli.Dev;

/// <summary>
/// The emulator started in-process and an <see cref="AwsSecretsManagerStore"/> pointed at it (credentials test/test,
/// region us-east-1): the embedded development backend of <c>secretary serve --dev</c> and of tests. Disposing stops both.
/// </summary>
internal sealed class LocalAws : IAsyncDisposable
{
    public const string AccessKey = "test";
    public const string SecretKey = "test";
    public const string Region = "us-east-1";

    private LocalAws(EmulatorServer emulator, AwsSecretsManagerStore store)
    {
        Emulator = emulator;
        Store = store;
    }

    /// <summary>Gets the running emulator (request counts, faults, <c>PutSecret</c>).</summary>
    public EmulatorServer Emulator { get; }

    /// <summary>Gets the store that reads from <see cref="Emulator"/> over HTTP, signed with SigV4.</summary>
    public AwsSecretsManagerStore Store { get; }

    /// <summary>Gets the emulator's endpoint, for example <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri Endpoint => Emulator.Endpoint;

    /// <summary>Starts the emulator on <paramref name="port"/> (0 picks a free one), seeded from <paramref name="seedFile"/>, and builds the store.</summary>
    /// <param name="port">The loopback port; 0 for a free one.</param>
    /// <param name="seedFile">A JSON file of name → string or object (the <c>samples/dev-secrets.json</c> format), or null.</param>
    /// <param name="loggerFactory">Where the emulator and the store log; none by default.</param>
    /// <param name="configure">Changes the store options (timeouts, retries) before the store is built.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The emulator and its store; dispose to stop both.</returns>
    public static async Task<LocalAws> StartAsync(
        int port = 0,
        string? seedFile = null,
        ILoggerFactory? loggerFactory = null,
        Action<AwsSecretsManagerStoreOptions>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var emulator = await EmulatorServer.StartAsync(
            new EmulatorOptions { Port = port, SeedFile = seedFile, AccessKey = AccessKey, SecretKey = SecretKey, DefaultRegion = Region },
            loggerFactory,
            cancellationToken).ConfigureAwait(false);
        try
        {
            var options = new AwsSecretsManagerStoreOptions
            {
                Region = Region,
                ServiceUrl = emulator.Endpoint.ToString(),
                Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
            };
            configure?.Invoke(options);
            var store = new AwsSecretsManagerStore(options, loggerFactory?.CreateLogger<AwsSecretsManagerStore>());
            return new LocalAws(emulator, store);
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the backend of <c>secretary serve --dev</c>: the emulator seeded from <paramref name="seedFile"/>, or, when it is
    /// null, from the sample secrets embedded in the CLI (<see cref="DevSeed"/>), so it works from any directory.
    /// </summary>
    /// <param name="port">The loopback port; 0 for a free one.</param>
    /// <param name="seedFile">A seed file that replaces the embedded samples, or null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The emulator and its store; dispose to stop both.</returns>
    /// <exception cref="ArgumentException"><paramref name="seedFile"/> does not exist.</exception>
    public static async Task<LocalAws> StartDevAsync(int port, string? seedFile, CancellationToken cancellationToken = default)
    {
        if (seedFile is not null && !File.Exists(seedFile))
        {
            // An ArgumentException, not FileNotFoundException: serve reports IOExceptions as failures to bind.
            throw new ArgumentException($"The seed file '{Path.GetFullPath(seedFile)}' does not exist; omit --seed to use the built-in sample secrets.");
        }

        var local = await StartAsync(port, seedFile, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (seedFile is null)
        {
            foreach (var (name, value) in DevSeed.Read())
            {
                local.Emulator.PutSecret(name, value);
            }
        }

        return local;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await Emulator.DisposeAsync().ConfigureAwait(false);
    }
}
