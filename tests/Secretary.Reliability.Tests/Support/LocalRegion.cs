using Amazon.Runtime;
using Secretary.Aws;
using Secretary.Emulator;

namespace Secretary.Reliability.Tests;

/// <summary>In-process emulators as AWS regions, and AWS stores pointed at them.</summary>
internal static class LocalRegion
{
    public const string Primary = "us-east-1";
    public const string Fallback = "us-west-2";

    public static Task<EmulatorServer> StartAsync(string region = Primary) =>
        EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DefaultRegion = region });

    /// <summary>
    /// A store on the emulator. <paramref name="maxAttempts"/> 1 by default, so every store call the cache makes is
    /// exactly one request the emulator counts (the SDK's own retries are measured separately).
    /// </summary>
    public static AwsSecretsManagerStore StoreFor(
        EmulatorServer emulator,
        TimeProvider? time = null,
        int maxAttempts = 1,
        EmulatorServer? fallback = null,
        TimeSpan? timeout = null) =>
        new(new AwsSecretsManagerStoreOptions
        {
            Region = emulator.DefaultRegion,
            ServiceUrl = emulator.Endpoint.ToString(),
            Credentials = new BasicAWSCredentials("test", "test"),
            MaxAttempts = maxAttempts,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            FallbackRegions = fallback is null ? [] : [new AwsFallbackRegion(fallback.DefaultRegion, fallback.Endpoint.ToString())],
            TimeProvider = time ?? TimeProvider.System,
        });

    /// <summary>The emulator's count of GetSecretValue requests.</summary>
    public static long Gets(this EmulatorServer emulator) => emulator.GetRequestCounts().For("GetSecretValue");
}
