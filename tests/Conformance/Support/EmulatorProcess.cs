using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secretary.Conformance.Support;

/// <summary><c>secretary emulator --port 0</c> as a child process (<see cref="ServerProcess"/>), on the loopback port it picks.</summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private EmulatorProcess(ServerProcess process, Uri endpoint)
    {
        _process = process;
        Port = endpoint.Port;
        Endpoint = endpoint.GetLeftPart(UriPartial.Authority);
    }

    public int Port { get; }

    public string Endpoint { get; }

    public string Output => _process.Output;

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    public static Task<EmulatorProcess> StartAsync(params string[] extraArguments) => StartAsync(new Dictionary<string, string?>(), extraArguments);

    /// <summary>Starts the emulator with extra environment variables (a rotation command inherits them).</summary>
    public static async Task<EmulatorProcess> StartAsync(IDictionary<string, string?> environment, params string[] extraArguments)
    {
        var (fileName, cliArguments) = ProcessRunner.CliCommand;
        var (process, ready) = await ServerProcess.StartAsync(fileName, [.. cliArguments, "emulator", "--port", "0", .. extraArguments], ListeningLine(), environment);
        return new EmulatorProcess(process, new Uri(ready.Groups[1].Value));
    }

    public async Task<JsonObject> AdminGetAsync(string path)
    {
        var text = await _http.GetStringAsync($"{Endpoint}/_emulator/{path}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task AdminPostAsync(string path, string? json = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Endpoint}/_emulator/{path}")
        {
            Content = new StringContent(json ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Secretary-Admin", "1");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Kills the process at once (SIGKILL on Linux), as a crash would.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _http.Dispose();
    }
}
