using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Secretary.Emulator;

namespace Secretary.Reliability.Tests;

/// <summary>
/// The agent as a process (<c>secretary serve --store aws --endpoint-url</c>) on real time, the emulator in this
/// process playing every fault in turn. Readers of a secret cached before the faults never see an error; the
/// store sees a bounded number of calls; the agent recovers when the store does; nothing leaks.
/// </summary>
public sealed partial class AgentChaosProcessTests
{
    private const string Token = "chaos-token-0123456789abcdef";
    private const string Id = "chaos/agent";
    private const int SdkAttempts = 3; // the agent's store keeps the SDK's standard 3 attempts

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    [Fact]
    public async Task The_agent_process_serves_a_cached_secret_through_every_fault_and_recovers_without_leaking()
    {
        await using var emulator = await LocalRegion.StartAsync();
        var directory = Directory.CreateTempSubdirectory("secretary-chaos-").FullName;
        try
        {
            var tokenFile = Path.Combine(directory, "token");
            await File.WriteAllTextAsync(tokenFile, Token);
            var config = Path.Combine(directory, "agent.toml");
            await File.WriteAllTextAsync(config, "ttl_seconds = 1\nstore_timeout_seconds = 1\nmax_stale_seconds = 3600\nlog_level = \"debug\"\n");
            var first = emulator.PutSecret(Id, Canary.Json);

            var (agent, ready) = await ServerProcess.StartCliAsync(
                ["serve", "--store", "aws", "--region", LocalRegion.Primary, "--endpoint-url", emulator.Endpoint.ToString(), "--port", "0", "--config", config, "--token-file", tokenFile],
                AgentLine(),
                new Dictionary<string, string?>
                {
                    ["AWS_ACCESS_KEY_ID"] = "test",
                    ["AWS_SECRET_ACCESS_KEY"] = "test",
                    ["AWS_SESSION_TOKEN"] = null,
                    ["AWS_PROFILE"] = null,
                    ["SECRETARY_TOKEN"] = null,
                    ["AWS_TOKEN"] = null,
                });
            await using var _ = agent;
            using var client = new HttpClient { BaseAddress = new Uri(ready.Groups[1].Value.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);

            var (status, version, _, _) = await ReadAsync(client);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(first, version);

            var faults = new (string Name, EmulatorFaults Faults)[]
            {
                ("latency 1500 ms (beyond the 1 s store timeout)", new EmulatorFaults { LatencyMs = 1500 }),
                ("5xx burst", new EmulatorFaults { ErrorRate = 1, ErrorType = "InternalServiceError" }),
                ("throttling storm", new EmulatorFaults { Throttle = true }),
                ("dropped connections", new EmulatorFaults { DropConnection = true }),
                ("full outage", new EmulatorFaults { Outage = true }),
                ("hung store", new EmulatorFaults { Hang = true }),
            };

            var expected = first;
            var reads = 0;
            foreach (var (name, fault) in faults)
            {
                emulator.SetFaults(fault);
                emulator.ResetRequestCounts();
                var clock = Stopwatch.StartNew();
                var stale = 0;
                for (var i = 0; i < 30; i++)
                {
                    var (s, v, isStale, body) = await ReadAsync(client);
                    reads++;
                    Assert.True(s == HttpStatusCode.OK, $"{name}: read {i} answered {(int)s} {body}");
                    Assert.Equal(expected, v);
                    stale += isStale ? 1 : 0;
                    await Task.Delay(100); // pacing: the reads span several TTLs and backoff steps
                }

                var calls = emulator.Gets();
                var bound = SdkAttempts * BackoffBounds.MaxAttempts(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), 0.2);
                Assert.True(stale > 0, $"{name}: no read was served stale");
                if (fault.DropConnection)
                {
                    // The SDK re-sends a request whose connection was reset once (MaxStaleConnectionRetries = 1).
                    bound *= 2;
                }

                Assert.True(calls <= bound, $"{name}: {calls} store requests in {clock.Elapsed.TotalSeconds:0.0} s; the backoff design allows {bound}.");

                // The store comes back with a new version: the agent picks it up (bounded poll, real time).
                emulator.ClearFaults();
                expected = emulator.PutSecret(Id, Canary.Json);
                await Eventually.TrueAsync(
                    async () => await ReadAsync(client) is { Status: HttpStatusCode.OK, Stale: false } r && r.Version == expected,
                    $"the agent to recover after the {name}");
            }

            // A secret never cached while the store hangs: a typed error within the store timeout, never a hang.
            emulator.PutSecret("chaos/cold", "cold");
            emulator.SetFaults(new EmulatorFaults { Hang = true });
            var cold = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("secretsmanager/get?secretId=chaos/cold")));
            foreach (var response in cold)
            {
                Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
                using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal("TimeoutError", error.RootElement.GetProperty("__type").GetString());
            }

            emulator.ClearFaults();
            Assert.False(agent.HasExited);
            var stats = await client.GetStringAsync("secrets-cache-stats");
            var metrics = await client.GetStringAsync("metrics");
            Assert.Contains("secretary", metrics, StringComparison.OrdinalIgnoreCase);
            Canary.AssertAbsent([agent.Output, stats, metrics]);
            Assert.True(reads >= 180);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, string? Version, bool Stale, string Body)> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("secretsmanager/get?secretId=" + Uri.EscapeDataString(Id));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null, false, body);
        }

        using var json = JsonDocument.Parse(body);
        Assert.Equal(Canary.Json, json.RootElement.GetProperty("SecretString").GetString());
        return (response.StatusCode, json.RootElement.GetProperty("VersionId").GetString(), response.Headers.Contains("X-Secretary-Stale"), body);
    }
}
