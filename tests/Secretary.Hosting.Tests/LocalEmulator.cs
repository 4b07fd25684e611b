using Amazon.Runtime;
using Secretary.Aws;
using Secretary.Emulator;

namespace Secretary.Hosting.Tests;

/// <summary>The emulator on a free loopback port, seeded from samples/dev-secrets.json, and the AWS store options pointing at it.</summary>
public sealed class LocalEmulator : IAsyncDisposable
{
    private LocalEmulator(EmulatorServer server) => Server = server;

    public EmulatorServer Server { get; }

    public static async Task<LocalEmulator> StartAsync() =>
        new(await EmulatorServer.StartAsync(new EmulatorOptions
        {
            Port = 0,
            SeedFile = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"),
            AccessKey = "test",
            SecretKey = "test",
            DefaultRegion = "us-east-1",
        }));

    /// <summary>Points the AWS settings at the emulator, with one attempt per call so outages fail fast.</summary>
    public void Configure(SecretaryOptions options)
    {
        options.Store = "aws";
        options.Aws.Region = "us-east-1";
        options.Aws.Endpoint = Server.Endpoint.ToString();
        options.Aws.Configure = aws =>
        {
            aws.Credentials = new BasicAWSCredentials("test", "test");
            aws.MaxAttempts = 1;
        };
    }

    public AwsSecretsManagerStore CreateStore() => new(new AwsSecretsManagerStoreOptions
    {
        Region = "us-east-1",
        ServiceUrl = Server.Endpoint.ToString(),
        Credentials = new BasicAWSCredentials("test", "test"),
        MaxAttempts = 1,
    });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
