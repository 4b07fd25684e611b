using Amazon.Runtime;
using Secretary.Emulator;

namespace Secretary.ParameterStore.Tests;

/// <summary>The store against the emulator over HTTP and SigV4: values, types, selectors, typed errors.</summary>
public sealed class StoreReadTests
{
    [Fact]
    public async Task Reads_strings_string_lists_and_decrypted_secure_strings_with_their_attributes()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutParameter("/app/host", "db1");
        local.Emulator.PutParameter("/app/list", "a,b,c", "StringList");
        local.Emulator.PutParameter("/app/password", Canary.Value, "SecureString");
        using var store = local.Store();

        var host = await store.GetSecretAsync(new SecretRequest("/app/host"));
        Assert.Equal("db1", host.SecretString);
        Assert.Equal("1", host.VersionId);
        Assert.Equal("String", host.Attributes[ParameterAttributes.Type]);
        Assert.Equal("text", host.Attributes[ParameterAttributes.DataType]);
        Assert.Equal("arn:aws:ssm:us-east-1:123456789012:parameter/app/host", host.Arn);
        Assert.NotNull(host.CreatedDate);
        Assert.Empty(host.VersionStages);

        Assert.Equal("a,b,c", (await store.GetSecretAsync(new SecretRequest("/app/list"))).SecretString);
        var password = await store.GetSecretAsync(new SecretRequest("/app/password"));
        Assert.Equal(Canary.Value, password.SecretString);
        Assert.Equal("SecureString", password.Attributes[ParameterAttributes.Type]);
        Assert.DoesNotContain(Canary.Value, password.ToString(), StringComparison.Ordinal);

        using var raw = local.Store(o => o.WithDecryption = false);
        var cipher = await raw.GetSecretAsync(new SecretRequest("/app/password"));
        Assert.NotEqual(Canary.Value, cipher.SecretString);
    }

    [Fact]
    public async Task Versions_and_labels_are_selected_by_the_name_or_by_the_request()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutParameter("/v/x", "one");
        local.Emulator.PutParameter("/v/x", "two");
        using var store = local.Store();
        using var admin = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("test", "test"), new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig { ServiceURL = local.Emulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        await admin.LabelParameterVersionAsync(new() { Name = "/v/x", ParameterVersion = 1, Labels = ["stable"] });

        Assert.Equal("two", (await store.GetSecretAsync(new SecretRequest("/v/x"))).SecretString);
        var byName = await store.GetSecretAsync(new SecretRequest("/v/x:1"));
        Assert.Equal("one", byName.SecretString);
        Assert.Equal(":1", byName.Attributes[ParameterAttributes.Selector]);
        Assert.Equal("one", (await store.GetSecretAsync(new SecretRequest("/v/x", VersionId: "1"))).SecretString);
        Assert.Equal("one", (await store.GetSecretAsync(new SecretRequest("/v/x", VersionStage: "stable"))).SecretString);
        Assert.Equal("one", (await store.GetSecretAsync(new SecretRequest("/v/x:stable"))).SecretString);
        Assert.Equal("two", (await store.GetSecretAsync(new SecretRequest("/v/x", VersionStage: SecretRequest.CurrentStage))).SecretString);
        await Assert.ThrowsAsync<SecretParameterException>(() => store.GetSecretAsync(new SecretRequest("/v/x:1", VersionId: "2")));
        await Assert.ThrowsAsync<SecretParameterException>(() => store.GetSecretAsync(new SecretRequest("/v/x", VersionId: "abc")));
    }

    [Fact]
    public async Task Errors_map_to_the_typed_categories()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutParameter("/e/x", Canary.Value);
        using var store = local.Store();
        var missing = await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("/e/none")));
        Assert.Equal("ParameterNotFound", missing.ErrorCode);
        var version = await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("/e/x:9")));
        Assert.Equal("ParameterVersionNotFound", version.ErrorCode);

        using var wrongKey = local.Store(o => o.Credentials = new BasicAWSCredentials("test", "wrong"));
        var denied = await Assert.ThrowsAsync<SecretAccessDeniedException>(() => wrongKey.GetSecretAsync(new SecretRequest("/e/x")));
        Assert.False(denied.IsTransient);

        local.Emulator.SetFaults(new EmulatorFaults { Operations = { ["GetParameter"] = new EmulatorFaultRule { ErrorRate = 1, ErrorType = "ThrottlingException" } } });
        using var once = local.Store(o => o.MaxAttempts = 1);
        var throttled = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => once.GetSecretAsync(new SecretRequest("/e/x")));
        Assert.Equal(StoreFailureReason.Throttled, throttled.Reason);
        local.Emulator.SetFaults(new EmulatorFaults { Operations = { ["GetParameter"] = new EmulatorFaultRule { ErrorRate = 1, ErrorType = "InternalServerError" } } });
        var server = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => once.GetSecretAsync(new SecretRequest("/e/x")));
        Assert.True(server.IsTransient);
        Canary.AssertAbsent([missing.Message, version.Message, denied.Message, throttled.Message, server.Message]);
    }

    [Fact]
    public async Task Reads_a_secrets_manager_secret_through_the_reference_path()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutSecret("prod/db", Canary.Json);
        using var store = local.Store();
        var secret = await store.GetSecretAsync(new SecretRequest("/aws/reference/secretsmanager/prod/db"));
        Assert.Equal(Canary.Value, secret.GetValue("password"));
        Assert.Equal("SecureString", secret.Attributes[ParameterAttributes.Type]);
        Assert.True(secret.Attributes.ContainsKey(ParameterAttributes.SourceResult));
        Canary.AssertAbsent([secret.Attributes[ParameterAttributes.SourceResult]]);
    }

    [Fact]
    public async Task A_path_prefix_applies_to_relative_names_only()
    {
        await using var local = await LocalParameterStore.StartAsync();
        local.Emulator.PutParameter("/myapp/prod/db", "in-prefix");
        local.Emulator.PutParameter("/other", "absolute");
        using var store = local.Store(o => o.PathPrefix = "/myapp/prod");
        Assert.Equal("in-prefix", (await store.GetSecretAsync(new SecretRequest("db"))).SecretString);
        Assert.Equal("absolute", (await store.GetSecretAsync(new SecretRequest("/other"))).SecretString);
        using var cache = new SecretCache(store);
        Assert.Equal("in-prefix", await cache.GetStringAsync("db"));
    }

    [Theory]
    [InlineData("eu-west-1x")]
    [InlineData("nowhere")]
    public void Invalid_options_are_reported_at_construction(string region)
    {
        var error = Assert.Throws<ArgumentException>(() => new AwsParameterStore(new AwsParameterStoreOptions { Region = region, PathPrefix = "relative", MaxAttempts = 0 }));
        Assert.Contains("Region", error.Message, StringComparison.Ordinal);
        Assert.Contains("PathPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_defaults()
    {
        var options = new AwsParameterStoreOptions();
        Assert.True(options.WithDecryption);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Null(options.PathPrefix);
        Assert.Null(options.Region);
    }

    [Fact]
    public void The_ssm_kind_is_registered_explicitly_and_builds_from_the_environment()
    {
        ParameterStoreSecretStores.Register();
        Assert.Contains("ssm", SecretStores.Kinds);
        var previous = Environment.GetEnvironmentVariable("AWS_REGION");
        Environment.SetEnvironmentVariable("AWS_REGION", "eu-west-1");
        try
        {
            using var store = (AwsParameterStore)SecretStores.Create("ssm:/myapp/prod");
            Assert.Equal("/myapp/prod/", store.PathPrefix);
            Assert.Equal("eu-west-1", store.Region);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_REGION", previous);
        }
    }
}
