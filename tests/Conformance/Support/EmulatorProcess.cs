using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Secretary.Conformance.Support;

/// <summary><c>dotnet secretary.dll emulator --port P</c> as a child process on a free loopback port.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private EmulatorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    public int Port { get; }

    public string Endpoint { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<EmulatorProcess> StartAsync(params string[] extraArguments) => StartAsync(new Dictionary<string, string?>(), extraArguments);

    /// <summary>Starts the emulator with extra environment variables (a rotation command inherits them).</summary>
    public static async Task<EmulatorProcess> StartAsync(IDictionary<string, string?> environment, params string[] extraArguments)
    {
        var port = FreePort();
        var (fileName, cliArguments) = Repository.CliCommand;
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        foreach (var argument in cliArguments.Concat(["emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var emulator = new EmulatorProcess(process, port);
        process.OutputDataReceived += (_, e) => emulator.Append(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                await emulator.DisposeAsync();
                throw new InvalidOperationException($"secretary emulator exited with {process.ExitCode}: {emulator.Output}");
            }

            try
            {
                using var response = await emulator._http.GetAsync($"{emulator.Endpoint}/_emulator/health");
                if (response.IsSuccessStatusCode)
                {
                    return emulator;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        await emulator.DisposeAsync();
        throw new TimeoutException("secretary emulator did not answer /_emulator/health within 60 s: " + emulator.Output);
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
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        _http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
