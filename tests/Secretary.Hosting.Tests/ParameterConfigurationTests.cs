using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Secretary.ParameterStore;

namespace Secretary.Hosting.Tests;

/// <summary>
/// Parameter Store hierarchies as configuration (the convention of Amazon.Extensions.Configuration.SystemsManager),
/// reloaded on change and combined with Secrets Manager secrets in one IConfiguration; health and stats over both stores.
/// </summary>
public sealed class ParameterConfigurationTests
{
    private static AwsParameterStore ParameterStore(LocalEmulator emulator) => new(new AwsParameterStoreOptions
    {
        Region = "us-east-1",
        ServiceUrl = emulator.Server.Endpoint.ToString(),
        Credentials = new BasicAWSCredentials("test", "test"),
        MaxAttempts = 1,
    });

    [Fact]
    public async Task A_hierarchy_becomes_keys_relative_to_its_path_beside_secrets()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        emulator.Server.PutParameter("/myapp/prod/ConnectionStrings/Db", "Host=db;Password=" + Canary.Value, "SecureString");
        emulator.Server.PutParameter("/myapp/prod/Logging/LogLevel/Default", "Information");
        emulator.Server.PutParameter("/myapp/prod/Features", "a,b", "StringList");
        emulator.Server.PutParameter("/myapp/dev/ConnectionStrings/Db", "not this one");
        using var store = new CompositeSecretStore(emulator.CreateStore(), ParameterStore(emulator));
        using var cache = new SecretCache(store);

        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Cache = cache;
                s.ReloadInterval = null;
                s.AddSecret("surgicase/ses_keys", "Ses");
                s.AddParameterPath("/myapp/prod/");
                s.AddParameterPath("/myapp/dev", "Dev");
            })
            .Build();

        Assert.Equal("Host=db;Password=" + Canary.Value, configuration["ConnectionStrings:Db"]);
        Assert.Equal("Host=db;Password=" + Canary.Value, configuration.GetConnectionString("Db"));
        Assert.Equal("Information", configuration["Logging:LogLevel:Default"]);
        Assert.Equal("a,b", configuration["Features"]);
        Assert.Equal("not this one", configuration["Dev:ConnectionStrings:Db"]);
        Assert.Equal("us-east-1", configuration["Ses:ses_region"]);
    }

    [Fact]
    public async Task A_hierarchy_of_250_is_read_in_25_calls_and_a_change_reloads_it()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        for (var i = 0; i < 250; i++)
        {
            emulator.Server.PutParameter($"/big/s{i % 5}/k{i:D3}", "v" + i);
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var parameters = ParameterStore(emulator);
        emulator.Server.ResetRequestCounts();
        var configuration = new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = parameters;
                s.TimeProvider = time;
                s.ReloadInterval = TimeSpan.FromMinutes(1);
                s.AddParameterPath("/big");
            })
            .Build();
        Assert.Equal("v42", configuration["s2:k042"]);
        Assert.Equal(250, configuration.AsEnumerable().Count(kv => kv.Value is not null));
        Assert.Equal(25, emulator.Server.GetRequestCounts().For("GetParametersByPath"));

        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, () => reloaded.TrySetResult());
        emulator.Server.PutParameter("/big/s2/k042", "changed");
        time.Advance(TimeSpan.FromMinutes(1));
        await reloaded.Task.WaitAsync(Eventually.Deadline);
        Assert.Equal("changed", configuration["s2:k042"]);
        Assert.Equal(50, emulator.Server.GetRequestCounts().For("GetParametersByPath"));
    }

    [Fact]
    public async Task Paths_without_a_parameter_store_are_a_clear_error()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        using var store = emulator.CreateStore();
        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder()
            .AddSecretary(s =>
            {
                s.Store = store;
                s.ReloadInterval = null;
                s.AddParameterPath("/myapp/prod/");
            })
            .Build());
        Assert.Contains("Parameter Store", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SecretaryConfigurationSource().AddParameterPath("myapp/prod"));
    }

    [Fact]
    public async Task The_aws_ssm_store_setting_serves_both_and_health_and_stats_count_each()
    {
        await using var emulator = await LocalEmulator.StartAsync();
        emulator.Server.PutParameter("/myapp/db/password", Canary.Value, "SecureString");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSecretary(o =>
        {
            emulator.Configure(o);
            o.Store = "aws,ssm";
            o.RequiredSecrets = ["surgicase/main", "ssm:/myapp/db/password"];
        });
        services.AddHealthChecks().AddSecretary();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<ISecretCache>();
        Assert.Equal(Canary.Value, await cache.GetStringAsync("ssm:/myapp/db/password"));
        Assert.NotNull(await cache.GetStringAsync("surgicase/main"));

        var stats = cache.GetStats();
        Assert.Equal(1, stats.BackendCallsByStore["aws"]);
        Assert.Equal(1, stats.BackendCallsByStore["ssm"]);
        Assert.Contains("\"backend_calls_by_store\"", stats.ToJson(), StringComparison.Ordinal);
        Canary.AssertAbsent([stats.ToJson()]);

        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
        var data = health.Entries.Single().Value.Data;
        Assert.Equal("aws,ssm", data["store"]);
        Assert.Equal(0, data["missing_secrets"]);
    }
}
