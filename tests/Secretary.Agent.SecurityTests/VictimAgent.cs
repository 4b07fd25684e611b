using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Secretary.Agent.SecurityTests;

/// <summary><c>secretary serve</c> as the victim runs it (file store, a token from AWS_TOKEN), with a client that holds the token.</summary>
internal sealed partial class VictimAgent : IAsyncDisposable
{
    public const string Token = "victim-token-5b1f0c";

    private VictimAgent(ServerProcess process, Uri url)
    {
        Process = process;
        Url = url;
    }

    public ServerProcess Process { get; }

    public Uri Url { get; }

    public int Port => Url.Port;

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    public static async Task<VictimAgent> StartAsync(IDictionary<string, string?>? environment = null, params string[] extra)
    {
        var variables = new Dictionary<string, string?> { ["AWS_TOKEN"] = Token, ["AWS_SESSION_TOKEN"] = null, ["SECRETARY_TOKEN"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        var (process, ready) = await ServerProcess.StartCliAsync(["serve", "--store", "file:samples/dev-secrets.json", "--port", "0", .. extra], Listening(), variables);
        return new VictimAgent(process, new Uri(ready.Groups[1].Value));
    }

    /// <summary>A read with the token over a new connection.</summary>
    public async Task<HttpStatusCode> ReadAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Url, "/secretsmanager/get?secretId=surgicase/main"));
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", Token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The agent process's resident memory, in MB.</summary>
    public double ResidentMegabytes()
    {
        var line = File.ReadLines($"/proc/{Process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
