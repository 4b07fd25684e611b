using System.Net;
using System.Text.Json;
using Secretary.Emulator;
using Xunit.Abstractions;

namespace Secretary.Reliability.Tests;

/// <summary>
/// The agent as a process (<c>secretary serve --store aws --endpoint-url</c>, TTL 1 s, store timeout 1 s) on real
/// time, the emulator in this process playing one fault per test. Nothing waits for time to pass: reads go on until
/// the agent itself reports (in its log) the store failures the test needs, and the checks are on what it did —
/// every read answered from the cache and flagged stale once past the TTL, the failures counted one by one with the
/// backoff the design gives, the store asked no more than that — never on how long it took.
/// </summary>
public sealed class AgentChaosProcessTests(ITestOutputHelper output)
{
    private const string Id = "chaos/agent";
    private const int SdkAttempts = 3; // the agent's store keeps the SDK's standard 3 attempts
    private const int FailuresToSee = 3;
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromMinutes(5);
    private const double Jitter = 0.2;

    public static TheoryData<string> Faults => ["latency beyond the store timeout", "5xx", "throttling", "dropped connections", "outage", "hung store"];

    private static EmulatorFaults FaultOf(string name) => name switch
    {
        "latency beyond the store timeout" => new EmulatorFaults { LatencyMs = 1500 },
        "5xx" => new EmulatorFaults { ErrorRate = 1, ErrorType = "InternalServiceError" },
        "throttling" => new EmulatorFaults { Throttle = true },
        "dropped connections" => new EmulatorFaults { DropConnection = true },
        "outage" => new EmulatorFaults { Outage = true },
        _ => new EmulatorFaults { Hang = true },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task The_agent_process_serves_a_cached_secret_through_the_fault_backs_off_and_recovers_without_leaking(string fault)
    {
        await using var agent = await ChaosAgent.StartAsync();
        var first = agent.Emulator.PutSecret(Id, Canary.Json);
        Assert.Equal(first, await agent.FirstReadAsync(Id));

        agent.Emulator.SetFaults(FaultOf(fault));
        agent.Emulator.ResetRequestCounts();
        var before = await agent.StatsAsync();
        var since = agent.Process.Output.Length;

        // Reads go on until the agent has logged its third consecutive failure for the secret; every read is answered.
        var reads = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                var r = await agent.ReadAsync(Id);
                reads++;
                Assert.True(r.Status == HttpStatusCode.OK, $"{fault}: read {reads} answered {(int)r.Status} {r.Body}");
                Assert.Equal(first, r.Version);
                Assert.Equal(Canary.Json, r.Body);
                return agent.StoreFailures(Id, since).Select(f => f.Failures).Distinct().Count() >= FailuresToSee;
            },
            $"the agent to log {FailuresToSee} store failures for {Id} under {fault}");

        // Three failures (the next read retries the first, then 1 s ±20 %) are at least 1.6 s past the last good read,
        // beyond the 1 s TTL: the value now is stale, and says so.
        var stale = await agent.ReadAsync(Id);
        Assert.True(stale is { Status: HttpStatusCode.OK, Stale: true } && stale.Version == first, $"{fault}: after {FailuresToSee} failures the read was {(int)stale.Status}, stale {stale.Stale}");

        // The agent counted the failures one by one and chose each retry delay as the design says for a secret that
        // holds a value: the next read, then 1 s, 2 s ... ±20 %.
        // (A count logged twice is a recovery probe, made when the store has answered nothing for 10 s: it leaves the
        // secret's backoff as it was.)
        var failures = agent.StoreFailures(Id, since);
        output.WriteLine($"{fault}: {reads} reads; failures logged (count, next try in s): {string.Join(" ", failures)}");
        var counts = failures.Select(f => f.Failures).ToList();
        Assert.True(counts.Zip(counts.Skip(1)).All(p => p.Second == p.First || p.Second == p.First + 1), $"failure counts {string.Join(",", counts)}");
        Assert.Equal(1, counts[0]);
        foreach (var (n, retry) in failures.DistinctBy(f => f.Failures))
        {
            Assert.InRange(
                retry,
                BackoffBounds.ShortestWait(n, BackoffBase, BackoffMax, Jitter).TotalSeconds - 0.001,
                BackoffBounds.LongestWait(n, BackoffBase, BackoffMax, Jitter).TotalSeconds + 0.001);
        }

        // The store saw no more than those calls: each failed call is one cache call of at most the SDK's attempts (a
        // reset connection is re-sent once by the SDK), and at most one more call may be under way.
        var after = await agent.StatsAsync();
        var errors = after.Errors - before.Errors;
        var calls = after.Calls - before.Calls;
        Assert.InRange(errors, failures.Count, failures.Count + 1);
        Assert.InRange(calls - errors, 0, 1);
        var perCall = SdkAttempts * (FaultOf(fault).DropConnection ? 2 : 1);
        output.WriteLine($"{fault}: {calls} store calls, {errors} failed, {agent.Emulator.Gets()} requests");
        Assert.InRange(agent.Emulator.Gets(), errors, perCall * calls);

        // The store comes back with a new version: the agent serves it, fresh.
        agent.Emulator.ClearFaults();
        var rotated = agent.Emulator.PutSecret(Id, Canary.Json);
        await Eventually.TrueAsync(
            async () => await agent.ReadAsync(Id) is { Status: HttpStatusCode.OK, Stale: false } r && r.Version == rotated,
            $"the agent to serve the new version after the {fault}");

        Assert.False(agent.Process.HasExited);
        var metrics = await agent.Client.GetStringAsync("metrics");
        Assert.Contains("secretary_cache_stale_served", metrics, StringComparison.Ordinal);
        Canary.AssertAbsent([agent.Process.Output, (await agent.StatsAsync()).Text, metrics]);
    }

    [Fact]
    public async Task A_secret_never_cached_while_the_store_hangs_is_a_timeout_for_every_reader_never_a_hang()
    {
        await using var agent = await ChaosAgent.StartAsync();
        agent.Emulator.PutSecret("chaos/cold", Canary.Value);
        agent.Emulator.SetFaults(new EmulatorFaults { Hang = true });

        var cold = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => agent.Client.GetAsync("secretsmanager/get?secretId=chaos/cold")));

        foreach (var response in cold)
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("TimeoutError", error.RootElement.GetProperty("__type").GetString());
        }

        agent.Emulator.ClearFaults();
        Assert.False(agent.Process.HasExited);
        Canary.AssertAbsent([agent.Process.Output, (await agent.StatsAsync()).Text, await agent.Client.GetStringAsync("metrics")]);
    }
}
