using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Secretary.Redis.Tests;

/// <summary>Three <c>secretary serve --redis</c> processes over one emulator and one redis-server.</summary>
public sealed partial class AgentFleetTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "fleet-test-token";
    private const string Id = "app/db";
    private readonly string _home = Directory.CreateTempSubdirectory("secretary-fleet-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    private async Task<(ServerProcess Process, string Url)> ServeAsync(Fleet fleet, params string[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["SECRETARY_TOKEN"] = Token,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_TOKEN"] = null,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        var (process, ready) = await ServerProcess.StartCliAsync(
            ["serve", "--store", "aws", "--region", Fleet.Region, "--endpoint-url", fleet.Emulator.Endpoint.ToString(), "--port", "0", "--ttl", "300", .. extra],
            AgentLine(),
            environment);
        return (process, ready.Groups[1].Value);
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", Token);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> VersionAsync(string agent, bool refreshNow = false) =>
        (await GetJsonAsync($"{agent}/secretsmanager/get?secretId={Uri.EscapeDataString(Id)}{(refreshNow ? "&refreshNow=true" : string.Empty)}"))
            .GetProperty("VersionId").GetString()!;

    private async Task<TimeSpan> WaitForVersionAsync(IEnumerable<string> agents, string versionId)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Eventually.ValueAsync(
            async () =>
            {
                var versions = new List<string>();
                foreach (var agent in agents)
                {
                    versions.Add(await VersionAsync(agent));
                }

                return string.Join(", ", versions);
            },
            versions => versions.Split(", ").All(v => v == versionId),
            $"every agent to serve {versionId}",
            TimeSpan.FromSeconds(20));
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    [Fact]
    public async Task A_rotation_seen_by_one_agent_reaches_the_other_agents_and_invalidate_reaches_all()
    {
        await using var fleet = await Fleet.StartAsync(instances: 0);
        var v1 = fleet.Emulator.PutSecret(Id, Canary.Json); // the value every agent caches, and which must show nowhere
        var processes = new List<ServerProcess>();
        await using var stop = new ProcessesDisposer(processes);
        {
            var agents = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var (process, url) = await ServeAsync(fleet, "--redis", fleet.Redis.Configuration);
                processes.Add(process);
                agents.Add(url);
            }

            foreach (var agent in agents)
            {
                Assert.Equal(v1, await VersionAsync(agent));
                var stats = await GetJsonAsync($"{agent}/secrets-cache-stats");
                Assert.Equal("connected", stats.GetProperty("backplane").GetString());
            }

            var reads = fleet.StoreReads;
            var v2 = fleet.Emulator.RotateSecret(Id);
            Assert.Equal(v2, await VersionAsync(agents[0], refreshNow: true));
            var took = await WaitForVersionAsync(agents, v2);
            output.WriteLine($"refreshNow on one agent reached 3 agents in {took.TotalMilliseconds:0} ms");
            Assert.Equal(reads + 3, fleet.StoreReads);

            var v3 = fleet.Emulator.PutSecret(Id, Canary.Json.Replace("app", "three", StringComparison.Ordinal));
            var invalidate = await ProcessRunner.RunCliAsync(["invalidate", Id, "--redis", fleet.Redis.Configuration, "--version-id", v3]);
            Assert.True(invalidate.ExitCode == 0, invalidate.Stderr);
            Assert.Contains("3 receivers", invalidate.Stdout, StringComparison.Ordinal);
            took = await WaitForVersionAsync(agents, v3);
            output.WriteLine($"secretary invalidate reached 3 agents in {took.TotalMilliseconds:0} ms");
            Assert.Equal(reads + 6, fleet.StoreReads);

            using var metrics = new HttpRequestMessage(HttpMethod.Get, $"{agents[1]}/metrics");
            metrics.Headers.Add("X-Aws-Parameters-Secrets-Token", Token);
            var text = await (await _http.SendAsync(metrics)).Content.ReadAsStringAsync();
            Assert.Contains("secretary_backplane_received", text, StringComparison.Ordinal);
            Assert.Contains("secretary_backplane_connected", text, StringComparison.Ordinal);

            // Scanned once the test's own assertions passed, so a leak is reported as such and never hides another failure.
            Canary.AssertAbsent([.. processes.Select(p => p.Output), text]);
        }
    }

    [Fact]
    public async Task A_rotation_published_while_an_agent_was_disconnected_is_caught_when_it_reconnects()
    {
        await using var fleet = await Fleet.StartAsync(instances: 0);
        var v1 = fleet.Emulator.PutSecret(Id, "one");
        var (process, agent) = await ServeAsync(fleet, "--redis", fleet.Redis.Configuration);
        await using var _ = process;
        Assert.Equal(v1, await VersionAsync(agent));

        await fleet.Redis.KillAsync();
        var v2 = fleet.Emulator.RotateSecret(Id); // its announcement is lost: nobody can publish it now
        Assert.Equal(v1, await VersionAsync(agent)); // the TTL (300 s) still covers the old value
        var batches = fleet.Emulator.GetRequestCounts().For("BatchGetSecretValue");

        await fleet.Redis.RestartAsync();
        await Fleet.EventuallyAsync(
            () => process.Output.Contains("re-read 1 cached secrets after the reconnect in 1 store calls", StringComparison.Ordinal),
            "the agent re-reads what it serves after reconnecting",
            TimeSpan.FromSeconds(30));
        Assert.Equal(v2, await VersionAsync(agent));
        Assert.Equal(batches + 1, fleet.Emulator.GetRequestCounts().For("BatchGetSecretValue"));
    }

    private sealed class ProcessesDisposer(List<ServerProcess> processes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_agent_whose_redis_is_down_still_serves_and_says_disconnected()
    {
        await using var fleet = await Fleet.StartAsync(instances: 0);
        var v1 = fleet.Emulator.PutSecret(Id, "one");
        var (process, agent) = await ServeAsync(fleet, "--redis", $"127.0.0.1:{RedisServer.FreePort()}");
        await using var _ = process;

        Assert.Equal(v1, await VersionAsync(agent));
        Assert.Equal("disconnected", (await GetJsonAsync($"{agent}/secrets-cache-stats")).GetProperty("backplane").GetString());
        Assert.Contains("is not reachable", process.Output, StringComparison.Ordinal);
    }
}
