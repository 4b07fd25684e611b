using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

public sealed class CanaryTests
{
    [Fact]
    public async Task Secret_values_never_reach_exception_messages_or_the_stores_logs()
    {
        var logs = new FakeLogCollector();
        await using var aws = await AwsTestSupport.StartAsync();
        aws.Emulator.PutSecret("canary", Canary.Json);
        aws.Emulator.PutSecret("canary-broken", Canary.BrokenJson);
        aws.Emulator.PutSecret("canary-doomed", Canary.Value);
        await AwsTestSupport.CallAsync(aws.Emulator, "DeleteSecret", "{\"SecretId\":\"canary-doomed\",\"RecoveryWindowInDays\":7}");
        using var store = new AwsSecretsManagerStore(AwsTestSupport.OptionsFor(aws.Emulator), new FakeLogger<AwsSecretsManagerStore>(logs));
        var texts = new List<string?>();

        var secret = await store.GetSecretAsync(new SecretRequest("canary"));
        texts.Add(secret.ToString());
        var results = await store.GetSecretsAsync([new SecretRequest("canary"), new SecretRequest("canary-doomed"), new SecretRequest("missing")]);
        texts.AddRange(results.Select(r => r.Error?.ToString()));
        texts.Add(Record(() => store.GetSecretAsync(new SecretRequest("canary-doomed"))));
        texts.Add(Record(() => Task.FromResult((object)store.GetSecretAsync(new SecretRequest("canary-broken")).Result.GetValue("password"))));
        foreach (var faults in new[]
        {
            new EmulatorFaults { Throttle = true },
            new EmulatorFaults { Outage = true },
            new EmulatorFaults { DropConnection = true },
            new EmulatorFaults { ErrorRate = 1, ErrorType = "DecryptionFailure" },
        })
        {
            aws.Emulator.SetFaults(faults);
            texts.Add(Record(() => store.GetSecretAsync(new SecretRequest("canary"))));
            texts.AddRange((await store.GetSecretsAsync([new SecretRequest("canary")])).Select(r => r.Error?.ToString()));
        }

        Assert.Equal(Canary.Value, secret.GetValue("password"));
        Assert.NotEmpty(logs.GetSnapshot());
        texts.AddRange(logs.GetSnapshot().Select(r => r.Message));
        texts.AddRange(logs.GetSnapshot().Select(r => r.Exception?.ToString()));
        Canary.AssertAbsent(texts);
    }

    private static string Record<T>(Func<Task<T>> action)
    {
        try
        {
            action().GetAwaiter().GetResult();
            return string.Empty;
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }
    }

    [Fact]
    public void The_store_logs_at_debug_level_with_event_ids()
    {
        var logs = new FakeLogCollector();
        using var store = new AwsSecretsManagerStore(
            new AwsSecretsManagerStoreOptions { Region = "eu-central-1", Credentials = new Amazon.Runtime.AnonymousAWSCredentials() },
            new FakeLogger<AwsSecretsManagerStore>(logs));

        var created = Assert.Single(logs.GetSnapshot());
        Assert.Equal(LogLevel.Debug, created.Level);
        Assert.Equal(1, created.Id.Id);
    }
}
