using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Secretary.Redis.Tests;

/// <summary>A real redis-server on a free loopback port, no persistence; can be killed and restarted on the same port.</summary>
internal sealed partial class RedisServer : IAsyncDisposable
{
    private ServerProcess? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string for StackExchange.Redis and the CLI's --redis.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public string Output => _process?.Output ?? string.Empty;

    [GeneratedRegex("Ready to accept connections")]
    private static partial Regex Ready();

    /// <summary>Starts redis-server; fails (never skips) when it is not installed (scripts/install-test-deps.sh installs it).</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>A server on a free port, not started yet (for "Redis is down at start").</summary>
    public static RedisServer NotStarted() => new(FreePort());

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server (again) on the same port.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            (_process, _) = await ServerProcess.StartAsync(
                "redis-server",
                ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                Ready(),
                timeout: TimeSpan.FromSeconds(20));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/install-test-deps.sh (apt-get install redis-server redis-tools).", ex);
        }
    }

    /// <summary>SIGKILL: connections drop at once.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>SIGSTOP: connections stay open and nothing is answered (a stalled server), until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        var result = await ProcessRunner.RunAsync("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.Stderr);
    }

    /// <summary>Runs redis-cli against this server.</summary>
    public Task<ProcessRunner.Result> CliAsync(params string[] args) =>
        ProcessRunner.RunAsync("redis-cli", ["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args], timeout: TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
