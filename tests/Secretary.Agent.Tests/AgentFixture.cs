using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Agent;

namespace Secretary.Agent.Tests;

/// <summary>An agent started in-process on a free port over a fake store, with a token file and captured logs.</summary>
internal sealed class AgentFixture : IAsyncDisposable
{
    public const string Token = "test-token-0123456789";

    private readonly ISecretStore _store;

    private AgentFixture(SecretaryAgentHost host, ISecretStore store, FakeLogCollector logs, string directory, FakeTimeProvider time)
    {
        Time = time;
        Host = host;
        _store = store;
        Logs = logs;
        Directory = directory;
        Client = new HttpClient { BaseAddress = host.Address };
        Client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        Anonymous = new HttpClient { BaseAddress = host.Address };
    }

    public SecretaryAgentHost Host { get; }

    /// <summary>The store, when it is the usual fake one.</summary>
    public FakeSecretStore Store => (FakeSecretStore)_store;

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; }

    public string Directory { get; }

    /// <summary>Sends the token.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends no token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>The agent's connection counts.</summary>
    internal Secretary.Agent.Internals.ConnectionBudget Budget => Host.Services.GetRequiredService<Secretary.Agent.Internals.ConnectionBudget>();

    /// <summary>A client with a connection of its own (its own pool), with the token unless told otherwise.</summary>
    public HttpClient NewConnection(bool token = true)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Host.Address };
        if (token)
        {
            client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        }

        return client;
    }

    /// <summary>Waits for a state the agent reaches by itself (a connection closed on its side); 30 s only as a hang guard.</summary>
    public Task WaitUntilAsync(Func<bool> condition) =>
        Eventually.TrueAsync(condition, "the agent to reach the state", TimeSpan.FromSeconds(30));

    public IEnumerable<string> LogLines => Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}");

    public static async Task<AgentFixture> StartAsync(Action<SecretaryAgentOptions>? configure = null, ISecretStore? store = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("secretary-agent-").FullName;
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        var options = new SecretaryAgentOptions { HttpPort = 0, TokenFile = tokenFile, Store = "fake", LogLevel = "debug" };
        configure?.Invoke(options);
        store ??= new FakeSecretStore();
        var logs = new FakeLogCollector();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var host = await SecretaryAgentHost.StartAsync(options, store, logging => logging.AddProvider(new FakeLoggerProvider(logs)), time);
        return new AgentFixture(host, store, logs, directory, time);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await Host.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
