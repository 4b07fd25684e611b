using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Secretary.Agent;
using Secretary.Emulator;

namespace Secretary.Hosting.Tests;

[Collection(StaticFacadeCollection.Name)]
public sealed class SampleAppTests
{
    private static async Task<string> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString()!;
    }

    [Fact]
    public async Task With_the_file_store_the_page_shows_facts_derived_from_secrets_and_health_is_Healthy()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Development")
            .UseSetting("Secretary:Store", "file")
            .UseSetting("Secretary:File:Path", Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json")));
        var client = factory.CreateClient();

        var page = await client.GetStringAsync("/");
        Assert.Contains("<strong id=\"sender-domain\">dev.surgicase.example</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong id=\"compression-mode\">normal</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("no-reply@", page, StringComparison.Ordinal);
        Assert.Equal("Healthy", await HealthAsync(client));
        var stats = await client.GetStringAsync("/secrets-cache-stats");
        Assert.Contains("\"cached_secrets_count\"", stats, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_the_agent_an_emulator_outage_keeps_health_Degraded_never_Unhealthy_and_it_recovers()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        using var backend = emulator.CreateStore();
        var directory = Directory.CreateTempSubdirectory("secretary-sample-").FullName;
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, "sample-token-0123456789");

        // The agent and the app share one fake clock: the outage runs on it, second by second, with no real waiting.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        try
        {
            await using var agent = await SecretaryAgentHost.StartAsync(
                new SecretaryAgentOptions { HttpPort = 0, TokenFile = tokenFile, TtlSeconds = 1, LogLevel = "warn" },
                backend,
                logging => { },
                time);
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
                .UseEnvironment("Development")
                .UseSetting("Secretary:Store", "agent")
                .UseSetting("Secretary:Agent:Url", agent.Address.ToString())
                .UseSetting("Secretary:Agent:TokenFile", tokenFile)
                .UseSetting("Secretary:DefaultTtl", "00:00:01")
                .ConfigureServices(services => services.AddSingleton<TimeProvider>(time)));
            var client = factory.CreateClient();
            var cache = factory.Services.GetRequiredService<ISecretCache>();

            async Task<string> StepAsync()
            {
                time.Advance(TimeSpan.FromSeconds(1));
                Assert.Contains("dev.surgicase.example", await client.GetStringAsync("/"), StringComparison.Ordinal); // always served
                var status = await HealthAsync(client);
                await cache.IdleAsync();
                await agent.Cache.IdleAsync();
                return status;
            }

            Assert.Contains("dev.surgicase.example", await client.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Equal("Healthy", await HealthAsync(client));

            // Five minutes of outage: past both TTLs, through the agent's backoff steps and the app's stale window.
            emulator.Server.SetFaults(new EmulatorFaults { Outage = true });
            var during = new List<string>();
            for (var second = 0; second < 300; second++)
            {
                during.Add(await StepAsync());
            }

            Assert.DoesNotContain("Unhealthy", during);
            var degradedFrom = during.IndexOf("Degraded");
            Assert.True(degradedFrom >= 0, "never Degraded during the outage");
            Assert.All(during.Skip(degradedFrom), status => Assert.Equal("Degraded", status));

            // The store comes back: within the agent's longest backoff (5 min) and the app's stale window (1 min), Healthy.
            emulator.Server.ClearFaults();
            var after = new List<string>();
            for (var second = 0; second < 420 && after.LastOrDefault() != "Healthy"; second++)
            {
                after.Add(await StepAsync());
            }

            Assert.DoesNotContain("Unhealthy", after);
            Assert.Equal("Healthy", after[^1]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
