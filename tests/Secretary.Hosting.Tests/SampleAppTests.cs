using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
    public async Task Through_the_agent_an_emulator_outage_turns_health_Degraded_not_Unhealthy()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        using var backend = emulator.CreateStore();
        var directory = Directory.CreateTempSubdirectory("secretary-sample-").FullName;
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, "sample-token-0123456789");
        try
        {
            await using var agent = await SecretaryAgentHost.StartAsync(
                new SecretaryAgentOptions { HttpPort = 0, TokenFile = tokenFile, TtlSeconds = 1, LogLevel = "warn" },
                backend,
                logging => { });
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
                .UseEnvironment("Development")
                .UseSetting("Secretary:Store", "agent")
                .UseSetting("Secretary:Agent:Url", agent.Address.ToString())
                .UseSetting("Secretary:Agent:TokenFile", tokenFile)
                .UseSetting("Secretary:DefaultTtl", "00:00:01"));
            var client = factory.CreateClient();

            Assert.Contains("dev.surgicase.example", await client.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Equal("Healthy", await HealthAsync(client));

            emulator.Server.SetFaults(new EmulatorFaults { Outage = true });
            var seen = new List<string>();
            await Eventually.WaitAsync(
                async () =>
                {
                    var status = await HealthAsync(client);
                    seen.Add(status);
                    return status;
                },
                status => status == "Degraded",
                TimeSpan.FromSeconds(30));
            Assert.DoesNotContain("Unhealthy", seen);
            Assert.Contains("dev.surgicase.example", await client.GetStringAsync("/"), StringComparison.Ordinal); // still served
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
