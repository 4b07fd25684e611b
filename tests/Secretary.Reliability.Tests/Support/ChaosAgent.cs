using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Secretary.Emulator;

namespace Secretary.Reliability.Tests;

/// <summary>
/// <c>secretary serve --store aws --endpoint-url</c> as a process (TTL 1 s, store timeout 1 s, debug logging) in front
/// of an emulator in this process, with a client that carries the agent's token.
/// </summary>
internal sealed partial class ChaosAgent : IAsyncDisposable
{
    public const string Token = "chaos-token-0123456789abcdef";

    private readonly string _directory;

    private ChaosAgent(EmulatorServer emulator, ServerProcess process, HttpClient client, string directory)
    {
        Emulator = emulator;
        Process = process;
        Client = client;
        _directory = directory;
    }

    public EmulatorServer Emulator { get; }

    public ServerProcess Process { get; }

    public HttpClient Client { get; }

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    public static async Task<ChaosAgent> StartAsync()
    {
        var emulator = await LocalRegion.StartAsync();
        var directory = Directory.CreateTempSubdirectory("secretary-chaos-").FullName;
        try
        {
            var tokenFile = Path.Combine(directory, "token");
            await File.WriteAllTextAsync(tokenFile, Token);
            var config = Path.Combine(directory, "agent.toml");
            await File.WriteAllTextAsync(config, "ttl_seconds = 1\nstore_timeout_seconds = 1\nmax_stale_seconds = 3600\nlog_level = \"debug\"\n");
            var (process, ready) = await ServerProcess.StartCliAsync(
                ["serve", "--store", "aws", "--region", LocalRegion.Primary, "--endpoint-url", emulator.Endpoint.ToString(), "--port", "0", "--config", config, "--token-file", tokenFile],
                AgentLine(),
                new Dictionary<string, string?>
                {
                    ["AWS_ACCESS_KEY_ID"] = "test",
                    ["AWS_SECRET_ACCESS_KEY"] = "test",
                    ["AWS_SESSION_TOKEN"] = null,
                    ["AWS_PROFILE"] = null,
                    ["SECRETARY_TOKEN"] = null,
                    ["AWS_TOKEN"] = null,
                });
            var client = new HttpClient { BaseAddress = new Uri(ready.Groups[1].Value.TrimEnd('/') + "/"), Timeout = Eventually.Deadline };
            client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
            return new ChaosAgent(emulator, process, client, directory);
        }
        catch
        {
            await emulator.DisposeAsync();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>One read of <paramref name="id"/>: the status, the version served, whether it was flagged stale, the body.</summary>
    public async Task<(HttpStatusCode Status, string? Version, bool Stale, string Body)> ReadAsync(string id)
    {
        using var response = await Client.GetAsync("secretsmanager/get?secretId=" + Uri.EscapeDataString(id));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null, false, body);
        }

        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.GetProperty("VersionId").GetString(), response.Headers.Contains("X-Secretary-Stale"), json.RootElement.GetProperty("SecretString").GetString()!);
    }

    /// <summary>The agent's stats document and its store-call counters.</summary>
    public async Task<(string Text, long Calls, long Errors)> StatsAsync()
    {
        var text = await Client.GetStringAsync("secrets-cache-stats");
        using var json = JsonDocument.Parse(text);
        return (text, json.RootElement.GetProperty("backend_calls").GetInt64(), json.RootElement.GetProperty("backend_errors").GetInt64());
    }

    /// <summary>
    /// Reads <paramref name="id"/> until the agent answers it. The 1 s store timeout is meant for the faults; a process
    /// just started may take longer than that for its first store call (loading, first connection), which is not one.
    /// </summary>
    public async Task<string> FirstReadAsync(string id)
    {
        var read = await Eventually.ValueAsync(() => ReadAsync(id), r => r.Status == HttpStatusCode.OK, $"the agent's first answer for {id}");
        return read.Version!;
    }

    /// <summary>
    /// The store failures the agent's cache logged for <paramref name="id"/> (event 1, StoreFailed) after the first
    /// <paramref name="since"/> characters of its output: the consecutive failure count and the retry delay it chose.
    /// </summary>
    public List<(int Failures, double RetrySeconds)> StoreFailures(string id, int since = 0) =>
        [.. StoreFailedLine().Matches(Process.Output[since..])
            .Where(m => m.Groups["id"].Value == id)
            .Select(m => (int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(m.Groups["retry"].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"SecretCache\[1\] .*? store call GetSecretValue for (?<id>\S+) failed .*?, failure (?<n>\d+); next try in (?<retry>[0-9.]+) s")]
    private static partial Regex StoreFailedLine();
}
