using Amazon.Runtime;
using Secretary.Aws;
using Secretary.Emulator;

namespace Secretary.ParameterStore.Tests;

/// <summary>An in-process emulator and stores pointed at it (credentials test/test, region us-east-1); disposing stops them.</summary>
internal sealed class LocalParameterStore : IAsyncDisposable
{
    private LocalParameterStore(EmulatorServer emulator)
    {
        Emulator = emulator;
    }

    public EmulatorServer Emulator { get; }

    public static async Task<LocalParameterStore> StartAsync() =>
        new(await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 }));

    public AwsParameterStoreOptions Options(Action<AwsParameterStoreOptions>? configure = null)
    {
        var options = new AwsParameterStoreOptions
        {
            Region = "us-east-1",
            ServiceUrl = Emulator.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials("test", "test"),
            Timeout = TimeSpan.FromSeconds(5),
            Environment = _ => null,
        };
        configure?.Invoke(options);
        return options;
    }

    public AwsParameterStore Store(Action<AwsParameterStoreOptions>? configure = null) => new(Options(configure));

    public AwsSecretsManagerStore SecretsStore() => new(new AwsSecretsManagerStoreOptions
    {
        Region = "us-east-1",
        ServiceUrl = Emulator.Endpoint.ToString(),
        Credentials = new BasicAWSCredentials("test", "test"),
        Timeout = TimeSpan.FromSeconds(5),
    });

    public long Calls(string operation) => Emulator.GetRequestCounts().Operations.GetValueOrDefault(operation);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
