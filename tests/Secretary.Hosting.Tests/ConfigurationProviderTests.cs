using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Secretary.Hosting.Tests;

public sealed class ConfigurationProviderTests
{
    private static FakeSecretStore Store()
    {
        var store = new FakeSecretStore();
        store.Set("surgicase/main", """{"COMPRESSION_MODE":"normal","SCHEDULER":{"ENABLED":true,"INTERVAL":15},"HOSTS":["a","b"],"NOTHING":null}""");
        store.Set("surgicase/ses_keys", """{"ses_region":"us-east-1","ses_default_from_email":"no-reply@dev.example"}""");
        store.Set("surgicase/api-signing-key", "plain-text-key");
        return store;
    }

    [Fact]
    public void Flattens_json_secrets_into_keys()
    {
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = Store();
                s.AddSecret("surgicase/main").AddSecret("surgicase/api-signing-key");
            })
            .Build();

        Assert.Equal("normal", configuration["surgicase:main:COMPRESSION_MODE"]);
        Assert.Equal("true", configuration["surgicase:main:SCHEDULER:ENABLED"]);
        Assert.Equal("15", configuration["surgicase:main:SCHEDULER:INTERVAL"]);
        Assert.Equal("b", configuration["surgicase:main:HOSTS:1"]);
        Assert.Null(configuration["surgicase:main:NOTHING"]);
        Assert.Equal("plain-text-key", configuration["surgicase:api-signing-key"]);
        Assert.Equal("normal", configuration["SURGICASE:MAIN:compression_mode"]); // configuration keys ignore case
    }

    [Fact]
    public void Prefix_section_per_secret_section_and_key_mapper_shape_the_keys()
    {
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = Store();
                s.Section = "Secrets";
                s.SecretIdPrefix = "surgicase/";
                s.AddSecret("surgicase/main").AddSecret("surgicase/ses_keys", section: "Ses");
                s.KeyMapper = (id, key) => key.EndsWith("HOSTS:0", StringComparison.Ordinal) ? null : key.Replace("SCHEDULER", "Scheduler", StringComparison.Ordinal);
            })
            .Build();

        Assert.Equal("normal", configuration["Secrets:main:COMPRESSION_MODE"]);
        Assert.Equal("true", configuration["Secrets:main:Scheduler:ENABLED"]);
        Assert.Null(configuration["Secrets:main:HOSTS:0"]);
        Assert.Equal("b", configuration["Secrets:main:HOSTS:1"]);
        Assert.Equal("us-east-1", configuration["Secrets:Ses:ses_region"]);
    }

    [Theory]
    [InlineData(SecretaryDuplicateKeyBehavior.KeepFirst, "first")]
    [InlineData(SecretaryDuplicateKeyBehavior.KeepLast, "second")]
    public void Duplicate_keys_keep_the_first_or_the_last(SecretaryDuplicateKeyBehavior behavior, string expected)
    {
        var store = new FakeSecretStore();
        store.Set("one", """{"Key":"first"}""");
        store.Set("two", """{"key":"second"}""");
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = store;
                s.DuplicateKeys = behavior;
                s.AddSecret("one", "Shared").AddSecret("two", "Shared");
            })
            .Build();
        Assert.Equal(expected, configuration["Shared:Key"]);
    }

    [Fact]
    public void Duplicate_keys_throw_by_default_naming_the_key_and_both_secrets()
    {
        var store = new FakeSecretStore();
        store.Set("one", "{\"Key\":\"" + Canary.Value + "\"}");
        store.Set("two", """{"Key":"second"}""");
        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = store;
                s.AddSecret("one", "Shared").AddSecret("two", "Shared");
            })
            .Build());
        Assert.Contains("'Shared:Key'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'one'", error.Message, StringComparison.Ordinal);
        Canary.AssertAbsent([error.ToString()]);
    }

    [Fact]
    public void A_failed_first_load_throws_unless_optional()
    {
        var store = Store();
        Assert.Throws<SecretNotFoundException>(() => new ConfigurationBuilder()
            .AddSecretary(s => s.Store = store)
            .AddSecretary(s =>
            {
                s.Store = store;
                s.AddSecret("surgicase/missing");
            })
            .Build());

        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = store;
                s.Optional = true;
                s.LoggerFactory = loggerFactory;
                s.AddSecret("surgicase/missing");
            })
            .Build();
        Assert.Empty(configuration.AsEnumerable());
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 112);
    }

    [Fact]
    public void Store_settings_come_from_the_Secretary_section_added_before()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Secretary:Store"] = "file",
                ["Secretary:File:Path"] = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"),
            })
            .AddSecretary("surgicase/ses_keys")
            .Build();
        Assert.Equal("no-reply@dev.surgicase.example", configuration["surgicase:ses_keys:ses_default_from_email"]);
    }

    [Fact]
    public async Task A_rotation_in_the_emulator_reaches_IOptionsMonitor()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        using var store = emulator.CreateStore();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var cache = new SecretCache(store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromMinutes(1) }, time);
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Cache = cache;
                s.TimeProvider = time;
                s.ReloadInterval = TimeSpan.FromSeconds(30);
                s.AddSecret("surgicase/ses_keys", "Ses");
            })
            .Build();
        using var services = new ServiceCollection()
            .Configure<SesSettings>(configuration.GetSection("Ses"))
            .BuildServiceProvider();
        var monitor = services.GetRequiredService<IOptionsMonitor<SesSettings>>();
        Assert.Equal("us-east-1", monitor.CurrentValue.ses_region);
        var changed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = monitor.OnChange(s => changed.TrySetResult(s.ses_region));

        emulator.Server.PutSecret("surgicase/ses_keys", """{"ses_region":"eu-west-1","ses_default_from_email":"no-reply@dev.surgicase.example"}""");
        var reads = cache.GetStats();
        var requests = emulator.Server.GetRequestCounts().For("GetSecretValue");

        // A poll within the TTL: it reads the cache (awaited by its read), from memory — no store call, no change.
        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => cache.GetStats().Hits > reads.Hits, "the reload poll to read the cache");
        Assert.Equal(reads.Misses, cache.GetStats().Misses);
        Assert.Equal(requests, emulator.Server.GetRequestCounts().For("GetSecretValue"));
        Assert.False(changed.Task.IsCompleted);
        Assert.Equal("us-east-1", monitor.CurrentValue.ses_region);

        // Past the TTL: the poll reads the new version and the monitor is told.
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("eu-west-1", await changed.Task.WaitAsync(Eventually.Deadline));
        Assert.Equal("eu-west-1", monitor.CurrentValue.ses_region);
        Assert.Equal(requests + 1, emulator.Server.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task A_failed_reload_keeps_the_last_values_and_logs()
    {
        var store = Store();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var cache = new SecretCache(store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromMinutes(1), MaxStale = TimeSpan.Zero }, time);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Cache = cache;
                s.TimeProvider = time;
                s.LoggerFactory = loggerFactory;
                s.ReloadInterval = TimeSpan.FromSeconds(61);
                s.AddSecret("surgicase/main");
            })
            .Build();
        store.Fault = _ => new SecretStoreUnavailableException("surgicase/main", StoreFailureReason.Network);

        time.Advance(TimeSpan.FromSeconds(61));
        await Eventually.TrueAsync(() => logs.GetSnapshot().Any(r => r.Id.Id == 112), "the failed reload to be logged");
        Assert.Equal("normal", configuration["surgicase:main:COMPRESSION_MODE"]);

        store.Fault = null;
        store.Set("surgicase/main", """{"COMPRESSION_MODE":"fast"}""");
        time.Advance(TimeSpan.FromSeconds(61));
        await Eventually.TrueAsync(() => configuration["surgicase:main:COMPRESSION_MODE"] == "fast", "the reload to bring the new value");
    }

#pragma warning disable IDE1006, CA1707 // keys as the secret spells them
    public sealed class SesSettings
    {
        public string? ses_region { get; set; }
    }
#pragma warning restore IDE1006, CA1707
}
