using System.Diagnostics.Metrics;
using Secretary.Aws;

namespace Secretary.ParameterStore.Tests;

/// <summary>Parameters behind the cache: batched warm-up, hierarchies, and one cache over Secrets Manager and Parameter Store.</summary>
public sealed class CacheTests
{
    [Fact]
    public async Task Warming_95_parameters_costs_10_GetParameters_calls()
    {
        await using var local = await LocalParameterStore.StartAsync();
        var names = Enumerable.Range(0, 95).Select(i => $"/warm/p{i:D3}").ToList();
        foreach (var name in names)
        {
            local.Emulator.PutParameter(name, "v-" + name);
        }

        using var store = local.Store();
        using var cache = new SecretCache(store);
        local.Emulator.ResetRequestCounts();
        var report = await cache.WarmAsync(names);

        Assert.Equal(95, report.Successful);
        Assert.Equal(10, report.StoreCalls);
        Assert.Equal(10, local.Calls("GetParameters"));
        Assert.Equal(0, local.Calls("GetParameter"));
        Assert.Equal("v-/warm/p042", await cache.GetStringAsync("/warm/p042"));
        Assert.Equal(10, local.Emulator.GetRequestCounts().Total);
    }

    [Fact]
    public async Task Warm_up_reports_each_missing_parameter_as_not_found()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutParameter("/w/a", "1");
        using var store = local.Store();
        using var cache = new SecretCache(store);
        var report = await cache.WarmAsync(["/w/a", "/w/missing"]);
        Assert.Equal(1, report.Successful);
        Assert.StartsWith("NotFound", report.Details.Single(d => d.SecretName == "/w/missing").Error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecretNotFoundException>(async () => await cache.GetAsync("/w/missing"));
    }

    [Fact]
    public async Task A_hierarchy_of_250_parameters_is_read_10_a_page()
    {
        await using var local = await LocalParameterStore.StartAsync();
        for (var i = 0; i < 250; i++)
        {
            local.Emulator.PutParameter($"/tree/{i % 5}/p{i:D3}", $"v{i}");
        }

        local.Emulator.PutParameter("/elsewhere", "x");
        using var store = local.Store();
        local.Emulator.ResetRequestCounts();
        var parameters = await store.GetParametersByPathAsync("/tree/");
        Assert.Equal(250, parameters.Count);
        Assert.Equal(250, parameters.Select(p => p.Name).Distinct().Count());
        Assert.Equal(25, local.Calls("GetParametersByPath"));
        Assert.Equal(25, local.Emulator.GetRequestCounts().Total);

        local.Emulator.ResetRequestCounts();
        var oneLevel = await store.GetParametersByPathAsync("/tree", recursive: false);
        Assert.Empty(oneLevel);
        Assert.Equal(1, local.Calls("GetParametersByPath"));
    }

    [Fact]
    public async Task A_secret_and_a_parameter_of_the_same_name_are_two_entries_of_one_cache()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutSecret("/myapp/db/password", "from-secrets-manager");
        local.Emulator.PutParameter("/myapp/db/password", "from-parameter-store", "SecureString");
        using var composite = new CompositeSecretStore(local.SecretsStore(), local.Store());
        using var cache = new SecretCache(composite);

        Assert.Equal("from-secrets-manager", await cache.GetStringAsync("/myapp/db/password"));
        Assert.Equal("from-parameter-store", await cache.GetStringAsync("ssm:/myapp/db/password"));
        Assert.Equal("from-secrets-manager", await cache.GetStringAsync("/myapp/db/password"));
        Assert.Equal(2, cache.GetStats().TotalCacheEntries);
        Assert.Equal(1, local.Calls("GetSecretValue"));
        Assert.Equal(1, local.Calls("GetParameter"));

        cache.Clear("ssm:/myapp/db/password");
        Assert.Equal("from-secrets-manager", await cache.GetStringAsync("/myapp/db/password"));
        Assert.Equal(1, local.Calls("GetSecretValue"));
    }

    [Fact]
    public async Task Warming_a_mix_batches_each_store_in_its_own_size()
    {
        await using var local = await LocalParameterStore.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            local.Emulator.PutSecret($"secret-{i}", "s");
            local.Emulator.PutParameter($"/param/{i}", "p");
            ids.Add($"secret-{i}");
            ids.Add($"ssm:/param/{i}");
        }

        using var composite = new CompositeSecretStore(local.SecretsStore(), local.Store());
        using var cache = new SecretCache(composite);
        local.Emulator.ResetRequestCounts();
        var report = await cache.WarmAsync(ids);
        Assert.Equal(50, report.Successful);
        Assert.Equal(2, local.Calls("BatchGetSecretValue"));
        Assert.Equal(3, local.Calls("GetParameters"));
        Assert.Equal(5, report.StoreCalls);
    }

    [Fact]
    public async Task Store_calls_carry_the_store_kind_as_a_label_and_never_a_name()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutSecret("shared-name", "s");
        local.Emulator.PutParameter("/shared-name", Canary.Value);
        var tags = new List<KeyValuePair<string, object?>[]>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Secretary" && instrument.Name == "secretary.store.calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, measured, _) =>
        {
            lock (tags)
            {
                tags.Add(measured.ToArray());
            }
        });
        listener.Start();
        using var composite = new CompositeSecretStore(local.SecretsStore(), local.Store());
        using var cache = new SecretCache(composite);
        await cache.GetAsync("shared-name");
        await cache.GetAsync("ssm:/shared-name");
        await Assert.ThrowsAsync<SecretNotFoundException>(async () => await cache.GetAsync("ssm:/none"));

        lock (tags)
        {
            Assert.Equal(3, tags.Count);
            Assert.Equal(["aws", "ssm", "ssm"], tags.Select(t => (string)t.Single(k => k.Key == "store").Value!));
            Assert.Equal(["GetSecretValue", "GetParameter", "GetParameter"], tags.Select(t => (string)t.Single(k => k.Key == "operation").Value!));
            Assert.Equal("not_found", tags[2].Single(k => k.Key == "outcome").Value);
            Canary.AssertAbsent(tags.SelectMany(t => t.Select(k => k.Value?.ToString())));
            Assert.DoesNotContain(tags.SelectMany(t => t), k => k.Value is string text && text.Contains("shared-name", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_composite_spec_builds_both_stores_and_refuses_a_kind_twice()
    {
        AwsSecretStores.Register();
        ParameterStoreSecretStores.Register();
        var previous = Environment.GetEnvironmentVariable("AWS_REGION");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        try
        {
            using var store = (CompositeSecretStore)SecretStores.Create("aws,ssm");
            Assert.Equal("aws,ssm", store.Kind);
            Assert.Equal(["aws", "ssm"], store.Stores.Select(s => s.Kind));
            Assert.Equal("ssm", store.StoreFor("ssm:/x").Kind);
            Assert.Equal("aws", store.StoreFor("/x").Kind);
            Assert.Equal("aws", store.StoreFor("arn:aws:secretsmanager:us-east-1:123456789012:secret:x-abcdef").Kind);
            Assert.Throws<ArgumentException>(() => SecretStores.Create("ssm,ssm"));
            Assert.Throws<ArgumentException>(() => SecretStores.Create("aws,,ssm"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_REGION", previous);
        }

        await Task.CompletedTask;
    }
}
