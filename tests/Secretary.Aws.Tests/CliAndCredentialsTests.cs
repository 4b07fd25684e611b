using Secretary.Emulator;

namespace Secretary.Aws.Tests;

/// <summary>The <c>secretary</c> process against an in-process emulator: flags, environment variables, shared profile files.</summary>
public sealed class CliAndCredentialsTests : IAsyncLifetime, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("secretary-aws-").FullName;
    private EmulatorServer _emulator = null!;

    private string Endpoint => $"http://127.0.0.1:{_emulator.Port}";

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
        _emulator.PutSecret("demo", "{\"user\":\"demo\",\"password\":\"p\"}");
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Get_with_flags_and_credentials_from_environment_variables_prints_the_value()
    {
        var result = await ProcessRunner.RunCliAsync(
            ["get", "demo", "--store", "aws", "--region", "us-east-1", "--endpoint-url", Endpoint],
            Environment(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("{\"user\":\"demo\",\"password\":\"p\"}", result.Stdout.Trim());
        Assert.Equal(1, _emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task The_store_spec_region_and_endpoint_can_all_come_from_the_environment()
    {
        var result = await ProcessRunner.RunCliAsync(
            ["get", "demo", "--key", "user"],
            Environment(
                ("SECRETARY_STORE", "aws"),
                ("AWS_REGION", "us-east-1"),
                ("AWS_ENDPOINT_URL_SECRETS_MANAGER", Endpoint),
                ("AWS_ACCESS_KEY_ID", "test"),
                ("AWS_SECRET_ACCESS_KEY", "test")));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("demo", result.Stdout.Trim());
    }

    [Fact]
    public async Task Credentials_and_region_come_from_a_shared_profile_file()
    {
        var credentials = Path.Combine(_home, "credentials");
        var config = Path.Combine(_home, "config");
        await File.WriteAllTextAsync(credentials, "[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[dev]\naws_access_key_id = test\naws_secret_access_key = test\n");
        await File.WriteAllTextAsync(config, "[profile dev]\nregion = us-east-1\n");
        var files = new[] { ("AWS_SHARED_CREDENTIALS_FILE", credentials), ("AWS_CONFIG_FILE", config), ("AWS_ENDPOINT_URL", Endpoint) };

        var byFlag = await ProcessRunner.RunCliAsync(["get", "demo", "--key", "user", "--store", "aws", "--profile", "dev"], Environment(files));
        var byEnvironment = await ProcessRunner.RunCliAsync(["get", "demo", "--key", "user", "--store", "aws"], Environment([.. files, ("AWS_PROFILE", "dev")]));
        var byDefault = await ProcessRunner.RunCliAsync(["get", "demo", "--store", "aws", "--region", "us-east-1"], Environment(files));

        Assert.True(byFlag.ExitCode == 0, byFlag.Stderr);
        Assert.Equal("demo", byFlag.Stdout.Trim());
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.Stderr);
        Assert.Equal("demo", byEnvironment.Stdout.Trim());
        Assert.Equal(8, byDefault.ExitCode);
        Assert.Contains("AccessDenied", byDefault.Stderr);
    }

    [Fact]
    public async Task An_unknown_profile_is_a_usage_error()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "demo", "--store", "aws", "--profile", "nope", "--region", "us-east-1"], Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope", result.Stderr);
    }

    [Fact]
    public async Task Wrong_credentials_exit_with_the_access_denied_code()
    {
        var result = await ProcessRunner.RunCliAsync(
            ["get", "demo", "--store", "aws", "--region", "us-east-1", "--endpoint-url", Endpoint],
            Environment(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "wrong")));

        Assert.Equal(8, result.ExitCode);
        Assert.Contains("AccessDenied", result.Stderr);
    }

    [Fact]
    public async Task Warm_of_100_secrets_costs_5_batch_calls()
    {
        var ids = Enumerable.Range(0, 100).Select(i => $"cli/{i:D3}").ToList();
        foreach (var id in ids)
        {
            _emulator.PutSecret(id, "v");
        }

        var result = await ProcessRunner.RunCliAsync(
            ["warm", .. ids, "--store", "aws", "--region", "us-east-1", "--endpoint-url", Endpoint],
            Environment(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("\"successful\": 100", result.Stdout);
        Assert.Equal(5, _emulator.GetRequestCounts().For("BatchGetSecretValue"));
        Assert.Equal(0, _emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task A_fallback_region_with_its_own_endpoint_serves_during_a_primary_outage()
    {
        await using var west = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DefaultRegion = "us-west-2" });
        west.PutSecret("demo", "from-west", "us-west-2");
        _emulator.SetFaults(new EmulatorFaults { Outage = true });

        var result = await ProcessRunner.RunCliAsync(
            ["get", "demo", "--store", "aws", "--region", "us-east-1", "--endpoint-url", Endpoint, "--fallback-region", $"us-west-2={west.Endpoint}"],
            Environment(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("from-west", result.Stdout.Trim());
    }

    /// <summary>A clean AWS environment (no ambient credentials, profiles or instance metadata) plus <paramref name="values"/>.</summary>
    private Dictionary<string, string?> Environment(params (string Name, string Value)[] values)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = _home,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_home, "none-credentials"),
            ["AWS_CONFIG_FILE"] = Path.Combine(_home, "none-config"),
        };
        foreach (var name in new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
            "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "SECRETARY_STORE",
        })
        {
            environment[name] = null;
        }

        foreach (var (name, value) in values)
        {
            environment[name] = value;
        }

        return environment;
    }
}
