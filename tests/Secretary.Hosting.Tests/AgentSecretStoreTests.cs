using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Secretary.Agent;
using Secretary.Emulator;

namespace Secretary.Hosting.Tests;

public sealed class AgentSecretStoreTests : IAsyncLifetime
{
    private const string Token = "test-token-0123456789abcdef";
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-hosting-").FullName;
    private readonly FakeLogCollector _logs = new();
    private readonly FakeSecretStore _backend = new();
    private SecretaryAgentHost _agent = null!;

    private string TokenFile => Path.Combine(_directory, "token");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(TokenFile, Token);
        _backend.Set("surgicase/main", """{"COMPRESSION_MODE":"normal"}""");
        _backend.Set("app/canary", Canary.Json);
        _backend.SetBinary("app/binary", [1, 2, 3, 250]);
        _agent = await SecretaryAgentHost.StartAsync(
            new SecretaryAgentOptions { HttpPort = 0, TokenFile = TokenFile, Store = "fake", LogLevel = "debug" },
            _backend,
            logging => logging.AddProvider(new FakeLoggerProvider(_logs)));
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private AgentSecretStore Store(Action<AgentSecretStoreOptions>? configure = null)
    {
        var options = new AgentSecretStoreOptions { Url = _agent.Address.ToString(), TokenFile = TokenFile, Timeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return new AgentSecretStore(options, logger: new FakeLogger<AgentSecretStore>(_logs));
    }

    [Fact]
    public async Task Reads_string_and_binary_secrets_through_the_agent()
    {
        using var store = Store();
        var secret = await store.GetSecretAsync(new SecretRequest("surgicase/main"));
        Assert.Equal("surgicase/main", secret.Name);
        Assert.Equal("normal", secret.GetValue("COMPRESSION_MODE"));
        Assert.Contains("AWSCURRENT", secret.VersionStages);
        Assert.False(string.IsNullOrEmpty(secret.VersionId));

        var binary = await store.GetSecretAsync(new SecretRequest("app/binary", VersionStage: "AWSCURRENT"));
        Assert.True(binary.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, binary.SecretBinary!.Value.ToArray());
        Assert.Equal("agent", store.Kind);
        Assert.False(store.IsAgentServingStale);
    }

    [Fact]
    public async Task Maps_the_agents_errors_to_the_typed_exceptions()
    {
        using var store = Store();
        var missing = await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("nope")));
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);

        using var badToken = Store(o => { o.TokenFile = null; o.Token = "wrong"; });
        var denied = await Assert.ThrowsAsync<SecretAccessDeniedException>(() => badToken.GetSecretAsync(new SecretRequest("surgicase/main")));
        Assert.Equal(403, denied.StatusCode);
        Assert.Contains("the Token setting", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", denied.Message, StringComparison.Ordinal);

        _backend.Set("down/network", "x");
        _backend.Set("down/timeout", "x");
        _backend.Set("down/server", "x");
        _backend.Fault = r => r.SecretId switch
        {
            "down/network" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network),
            "down/timeout" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Timeout),
            "down/server" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, statusCode: 503, errorCode: "InternalServiceError"),
            "down/denied" => new SecretAccessDeniedException(r.SecretId),
            _ => new SecretNotFoundException(r.SecretId),
        };
        Assert.Equal(StoreFailureReason.Network, (await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("down/network")))).Reason);
        Assert.Equal(StoreFailureReason.Timeout, (await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("down/timeout")))).Reason);
        var server = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("down/server")));
        Assert.Equal(StoreFailureReason.ServerError, server.Reason);
        Assert.Equal(503, server.StatusCode);
        _backend.Set("down/denied", "x");
        await Assert.ThrowsAsync<SecretAccessDeniedException>(() => store.GetSecretAsync(new SecretRequest("down/denied")));
    }

    [Fact]
    public async Task An_agent_that_is_not_running_is_a_transient_network_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var store = Store(o => o.Url = $"http://127.0.0.1:{port}");
        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("surgicase/main")));
        Assert.Equal(StoreFailureReason.Network, error.Reason);
        Assert.True(error.IsTransient);
        Assert.Contains("secretary serve", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SECRETARY_TOKEN", false)]
    [InlineData("AWS_TOKEN", true)]
    [InlineData("AWS_SESSION_TOKEN", false)]
    public async Task Finds_the_token_where_the_agent_does(string variable, bool asFile)
    {
        var environment = new Dictionary<string, string?> { [variable] = asFile ? "file://" + TokenFile : Token };
        using var store = Store(o => { o.TokenFile = null; o.Environment = name => environment.GetValueOrDefault(name); });
        Assert.Equal("normal", (await store.GetSecretAsync(new SecretRequest("surgicase/main"))).GetValue("COMPRESSION_MODE"));
    }

    [Fact]
    public async Task Falls_back_to_the_generated_token_file_and_follows_a_new_one()
    {
        var runtime = Path.Combine(_directory, "runtime");
        Directory.CreateDirectory(Path.Combine(runtime, "secretary"));
        var generated = Path.Combine(runtime, "secretary", "token-" + _agent.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(generated, "stale-token");
        var environment = new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = runtime };
        using var store = Store(o => { o.TokenFile = null; o.Environment = name => environment.GetValueOrDefault(name); });
        await Assert.ThrowsAsync<SecretAccessDeniedException>(() => store.GetSecretAsync(new SecretRequest("surgicase/main")));

        await File.WriteAllTextAsync(generated, Token + "\n");
        File.SetLastWriteTimeUtc(generated, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal("normal", (await store.GetSecretAsync(new SecretRequest("surgicase/main"))).GetValue("COMPRESSION_MODE"));
    }

    [Fact]
    public async Task Registers_the_agent_store_kind()
    {
        AgentSecretStore.Register();
        using var store = Assert.IsType<AgentSecretStore>(SecretStores.Create("agent:" + _agent.Address));
        Assert.Equal(_agent.Address.ToString(), store.Url);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Canary_values_never_reach_logs_or_errors()
    {
        using var store = Store();
        using var cache = new SecretCache(store, logger: new FakeLogger<SecretCache>(_logs));
        Assert.Equal(Canary.Value, await cache.GetValueAsync("app/canary", "password"));
        var format = await Assert.ThrowsAsync<SecretFormatException>(async () => await cache.GetValueAsync("app/canary", "nokey"));
        _backend.Set("app/canary2", Canary.Json);
        _backend.Fault = _ => new SecretStoreUnavailableException("app/canary2", StoreFailureReason.Network);
        var refresh = await Assert.ThrowsAsync<SecretStoreUnavailableException>(async () => await cache.GetAsync("app/canary2"));
        Canary.AssertAbsent([.. _logs.GetSnapshot().Select(r => r.Message + " " + r.Exception), format.ToString(), refresh.ToString()]);
    }
}
