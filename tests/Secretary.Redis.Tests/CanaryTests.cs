using System.Text.RegularExpressions;

namespace Secretary.Redis.Tests;

/// <summary>What goes over Redis, captured by redis-cli SUBSCRIBE and MONITOR, never carries a secret value.</summary>
public sealed partial class CanaryTests
{
    [GeneratedRegex(@"^1$", RegexOptions.Multiline)]
    private static partial Regex Subscribed();

    [GeneratedRegex(@"^OK$", RegexOptions.Multiline)]
    private static partial Regex Monitoring();

    [Fact]
    public async Task Messages_seen_by_subscribe_and_monitor_carry_no_canary_while_canary_secrets_rotate()
    {
        await using var fleet = await Fleet.StartAsync();
        var port = fleet.Redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (subscribe, _) = await ServerProcess.StartAsync("redis-cli", ["-p", port, "SUBSCRIBE", "secretary:changes"], Subscribed());
        await using var subscribeProcess = subscribe;
        var (monitor, _) = await ServerProcess.StartAsync("redis-cli", ["-p", port, "MONITOR"], Monitoring());
        await using var monitorProcess = monitor;

        fleet.Emulator.PutSecret("canary/json", Canary.Json);
        fleet.Emulator.PutSecret("canary/plain", Canary.Value);
        foreach (var instance in fleet.Instances)
        {
            Assert.Equal(Canary.Value, (await instance.Cache.GetAsync("canary/plain")).SecretString);
            await instance.Cache.GetAsync("canary/json");
        }

        var json2 = fleet.Emulator.PutSecret("canary/json", Canary.Json.Replace("app", "app2", StringComparison.Ordinal));
        var plain2 = fleet.Emulator.PutSecret("canary/plain", Canary.Value + "-2");
        await fleet.Instances[0].Cache.RefreshAsync("canary/json");
        await fleet.Instances[1].Cache.RefreshAsync("canary/plain");
        await fleet.WaitForVersionEverywhereAsync("canary/json", json2);
        await fleet.WaitForVersionEverywhereAsync("canary/plain", plain2);
        var rotated = fleet.Emulator.RotateSecret("canary/json");
        await fleet.Instances[2].Cache.RefreshAsync("canary/json");
        await fleet.WaitForVersionEverywhereAsync("canary/json", rotated);
        var invalidate = await ProcessRunner.RunCliAsync(["invalidate", "canary/plain", "--redis", fleet.Redis.Configuration]);
        Assert.Equal(0, invalidate.ExitCode);

        await Fleet.EventuallyAsync(
            () => subscribe.Output.Contains("\"origin\":\"cli\"", StringComparison.Ordinal)
                && Regex.Count(monitor.Output, "\"PUBLISH\" \"secretary:changes\"") == 4,
            () => $"redis-cli saw every message:\n{subscribe.Output}\n{monitor.Output}");
        Assert.Contains(json2, subscribe.Output, StringComparison.Ordinal);
        Assert.Contains(plain2, subscribe.Output, StringComparison.Ordinal);
        Assert.Contains(rotated, monitor.Output, StringComparison.Ordinal);
        Assert.Contains("PUBLISH", monitor.Output, StringComparison.Ordinal);
        Canary.AssertAbsent([subscribe.Output, monitor.Output, invalidate.Stdout, invalidate.Stderr]);
        Canary.AssertAbsent(fleet.Logs.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState ?? [])));
    }
}
