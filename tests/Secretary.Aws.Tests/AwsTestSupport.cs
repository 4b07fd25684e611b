using System.Text;
using Amazon.Runtime;
using Secretary.Aws.Internals;
using Secretary.Cli.Dev;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

/// <summary>Helpers over the in-process emulator: stores with short timeouts, raw service calls.</summary>
internal static class AwsTestSupport
{
    public const string AccountId = "123456789012";

    /// <summary>The emulator and a store with test-friendly timeouts (retries kept at the SDK's standard 3 attempts).</summary>
    public static Task<LocalAws> StartAsync(Action<AwsSecretsManagerStoreOptions>? configure = null, string? seedFile = null) =>
        LocalAws.StartAsync(seedFile: seedFile, configure: options =>
        {
            options.Timeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });

    public static AwsSecretsManagerStoreOptions OptionsFor(EmulatorServer emulator, string region = LocalAws.Region) => new()
    {
        Region = region,
        ServiceUrl = emulator.Endpoint.ToString(),
        Credentials = new BasicAWSCredentials(LocalAws.AccessKey, LocalAws.SecretKey),
        Timeout = TimeSpan.FromSeconds(5),
        Environment = _ => null,
    };

    /// <summary>Calls any operation on the emulator through the same signed SDK pipeline (for setup: binary secrets, deletion).</summary>
    public static async Task<string> CallAsync(EmulatorServer emulator, string operation, string json, string region = LocalAws.Region)
    {
        var config = new SecretsManagerConfig { ServiceURL = emulator.Endpoint.ToString(), AuthenticationRegion = region };
        using var client = new SecretsManagerClient(new BasicAWSCredentials(LocalAws.AccessKey, LocalAws.SecretKey), config);
        return Encoding.UTF8.GetString(await client.SendAsync(operation, Encoding.UTF8.GetBytes(json), default));
    }
}
