using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator;

namespace Secretary.Hosting.Tests;

public sealed class HealthAndWarmupTests
{
    private static async Task<IHost> StartHostAsync(LocalEmulator emulator, TimeProvider time, params string[] required)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(time);
        builder.Services.AddSecretary(o =>
        {
            emulator.Configure(o);
            o.UseStaticFacade = false;
            o.DefaultTtl = TimeSpan.FromMinutes(1);
            foreach (var id in required)
            {
                o.RequiredSecrets.Add(id);
            }
        });
        builder.Services.AddHealthChecks().AddSecretary();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<HealthReportEntry> CheckAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["secretary"];

    [Fact]
    public async Task An_emulator_outage_turns_the_check_Degraded_after_the_TTL_not_Unhealthy_and_Healthy_again_after()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = await StartHostAsync(emulator, time, "surgicase/main", "surgicase/ses_keys");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);

        emulator.Server.SetFaults(new EmulatorFaults { Outage = true });
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status); // within the TTL nothing is stale

        time.Advance(TimeSpan.FromSeconds(61));
        var during = await CheckAsync(host);
        Assert.Equal(HealthStatus.Degraded, during.Status);
        Assert.Equal(0, during.Data["missing_secrets"]);

        emulator.Server.ClearFaults();
        var cache = host.Services.GetRequiredService<ISecretCache>();
        var status = HealthStatus.Degraded;
        for (var step = 0; step < 10 && status != HealthStatus.Healthy; step++)
        {
            time.Advance(TimeSpan.FromMinutes(1)); // past the retry backoff, then the stale window
            await CheckAsync(host); // starts the refresh the retry allows
            await cache.IdleAsync();
            status = (await CheckAsync(host)).Status;
            await cache.IdleAsync();
        }

        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public async Task A_required_secret_that_cannot_be_read_is_Unhealthy()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = await StartHostAsync(emulator, time, "surgicase/main", "surgicase/not-there");
        var entry = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("surgicase/not-there (NotFound)", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("surgicase/main", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_up_reads_the_required_secrets_in_one_batch_before_the_first_request_and_the_stats_endpoint_answers()
    {
        var store = new FakeSecretStore();
        store.Set("surgicase/main", """{"COMPRESSION_MODE":"normal"}""");
        store.Set("surgicase/ses_keys", """{"ses_region":"us-east-1"}""");
        store.Set("surgicase/api-signing-key", Canary.Value);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<ISecretStore>(store);
        builder.Services.AddSecretary(o =>
        {
            o.UseStaticFacade = false;
            o.RequiredSecrets = ["surgicase/main", "surgicase/ses_keys", "surgicase/api-signing-key"];
        });
        await using var app = builder.Build();
        app.MapGet("/mode", async (ISecretCache cache) => await cache.GetValueAsync("surgicase/main", "COMPRESSION_MODE"));
        app.MapSecretsCacheStats();
        await app.StartAsync();

        Assert.Equal(1, store.BatchCalls);
        Assert.Equal(0, store.GetCalls);
        var client = app.GetTestClient();
        Assert.Equal("normal", await client.GetStringAsync("/mode"));
        Assert.Equal(1, store.Calls);

        var response = await client.GetAsync("/secrets-cache-stats");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var stats = JsonDocument.Parse(body);
        Assert.Equal(3, stats.RootElement.GetProperty("total_cache_entries").GetInt32());
        Assert.Equal(3, stats.RootElement.GetProperty("cached_secrets_count").GetInt32());
        Assert.True(stats.RootElement.GetProperty("hits").GetInt64() >= 1);
        Assert.DoesNotContain("surgicase", body, StringComparison.Ordinal);
        Canary.AssertAbsent([body]);
    }
}
