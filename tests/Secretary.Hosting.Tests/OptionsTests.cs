using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Secretary.Hosting.Tests;

[Collection(StaticFacadeCollection.Name)]
public sealed class OptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new SecretaryOptions();
        Assert.Equal("aws", options.Store);
        Assert.Equal(TimeSpan.FromSeconds(300), options.DefaultTtl);
        Assert.Null(options.RefreshAhead); // the lead follows the store's latency
        Assert.Equal(TimeSpan.FromHours(24), options.MaxStale);
        Assert.Equal(1024, options.MaxEntries);
        Assert.Empty(options.RequiredSecrets);
        Assert.True(options.WarmOnStart);
        Assert.True(options.UseStaticFacade);
        Assert.Equal("http://127.0.0.1:2773", options.Agent.Url);
        Assert.Equal(["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "SECRETARY_TOKEN"], options.Agent.TokenEnvironmentVariables);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public async Task Binds_the_Secretary_section_and_registers_one_cache_shared_with_the_static_facade()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secretary:Store"] = "file",
            ["Secretary:File:Path"] = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"),
            ["Secretary:DefaultTtl"] = "00:01:30",
            ["Secretary:RefreshAhead"] = "0.5",
            ["Secretary:MaxStale"] = "01:00:00",
            ["Secretary:MaxEntries"] = "64",
            ["Secretary:SecretTtls:surgicase/main"] = "00:00:10",
            ["Secretary:RequiredSecrets:0"] = "surgicase/main",
            ["Secretary:RequiredSecrets:1"] = "surgicase/ses_keys",
            ["Secretary:Aws:Region"] = "eu-west-1",
            ["Secretary:Aws:FallbackRegions:0"] = "eu-central-1",
            ["Secretary:Agent:Url"] = "http://127.0.0.1:9999",
        });
        builder.Services.AddSecretary(o => o.CacheName = "bound");
        using var host = builder.Build();
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<SecretaryOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(90), options.DefaultTtl);
        Assert.Equal(0.5, options.RefreshAhead);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxStale);
        Assert.Equal(64, options.MaxEntries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SecretTtls["surgicase/main"]);
        Assert.Equal(["surgicase/main", "surgicase/ses_keys"], options.RequiredSecrets);
        Assert.Equal("eu-west-1", options.Aws.Region);
        Assert.Equal(["eu-central-1"], options.Aws.FallbackRegions);
        Assert.Equal("http://127.0.0.1:9999", options.Agent.Url);

        var cache = Assert.IsType<SecretCache>(host.Services.GetRequiredService<ISecretCache>());
        Assert.IsType<FileSecretStore>(cache.Store);
        Assert.Equal("bound", cache.Options.Name);
        Assert.Equal(TimeSpan.FromSeconds(90), cache.Options.DefaultTtl);
        Assert.Same(cache, Secrets.Cache);
        Assert.Equal("normal", await Secrets.GetValueAsync("surgicase/main", "COMPRESSION_MODE"));
        Assert.Equal(2, cache.GetStats().TotalCacheEntries); // warmed at start
        await host.StopAsync();
    }

    [Fact]
    public async Task Invalid_settings_fail_the_start_with_every_problem_in_one_error()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secretary:Store"] = "file",
            ["Secretary:DefaultTtl"] = "-00:00:01",
            ["Secretary:RefreshAhead"] = "1.5",
            ["Secretary:MaxEntries"] = "0",
        });
        builder.Services.AddSecretary(o => o.RequiredSecrets.Add(""));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("DefaultTtl", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("RefreshAhead", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxEntries", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("File:Path", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("RequiredSecrets", StringComparison.Ordinal));
        Assert.Equal(5, error.Failures.Count());
        Assert.All(error.Failures, f => Assert.Contains(f, error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Store", "nosuch", "not a known store kind")]
    [InlineData("Agent:Url", "not a url", "Agent:Url")]
    [InlineData("Aws:Region", "Mars", "Region 'Mars'")]
    [InlineData("StaleHealthWindow", "-00:01:00", "StaleHealthWindow")]
    public void Each_invalid_value_is_reported(string key, string value, string expected)
    {
        var store = key.StartsWith("Agent", StringComparison.Ordinal) ? "agent" : "aws";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secretary:Store"] = store,
            ["Secretary:" + key] = value,
        }).Build();
        var services = new ServiceCollection().AddSecretary(configuration.GetSection("Secretary"), null).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecretaryOptions>>().Value);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registered_store_replaces_the_configured_one()
    {
        var store = new FakeSecretStore();
        var services = new ServiceCollection()
            .AddSingleton<ISecretStore>(store)
            .AddSecretary(o => o.UseStaticFacade = false)
            .BuildServiceProvider();
        var cache = Assert.IsType<SecretCache>(services.GetRequiredService<ISecretCache>());
        Assert.Same(store, cache.Store);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task A_registered_TimeProvider_is_the_cache_clock()
    {
        var store = new FakeSecretStore();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var first = store.Set("app/db", "one");
        using var services = new ServiceCollection()
            .AddSingleton<ISecretStore>(store)
            .AddSingleton<TimeProvider>(time)
            .AddSecretary(o => (o.UseStaticFacade, o.WarmOnStart, o.DefaultTtl) = (false, false, TimeSpan.FromMinutes(1)))
            .BuildServiceProvider();
        var cache = services.GetRequiredService<ISecretCache>();
        Assert.Equal(first.VersionId, (await cache.GetAsync("app/db")).VersionId);
        var second = store.Set("app/db", "two");

        // 58 s: before the refresh-ahead point (TTL − 1 s with a store that answers at once), so no background refresh.
        time.Advance(TimeSpan.FromSeconds(58));
        var within = await cache.LookupAsync("app/db");
        time.Advance(TimeSpan.FromSeconds(2));
        var past = await cache.LookupAsync("app/db");

        // Only the registered clock moved: the value aged on it, and expired on it.
        Assert.Equal((first.VersionId, TimeSpan.FromSeconds(58)), (within.Secret.VersionId, within.Age));
        Assert.Equal(second.VersionId, past.Secret.VersionId); // on the system clock 60 s would not have passed
        Assert.False(past.FromCache); // the refresh-ahead point (59 s) was never read: the value expired
        Assert.Equal(2, store.Calls);
    }
}

[CollectionDefinition(Name)]
public sealed class StaticFacadeCollection
{
    public const string Name = "static facade";
}
