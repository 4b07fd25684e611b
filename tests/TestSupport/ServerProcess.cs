using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Secretary.Testing;

/// <summary>A long-running process under test (the agent, the emulator, redis-server): output captured, killed on dispose.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Signal)> _waiters = [];

    private ServerProcess(Process process) => _process = process;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>What the process wrote to stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>What the process wrote to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_output)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the CLI (<c>secretary ARGS</c>) and waits for a line matching <paramref name="ready"/>.</summary>
    public static Task<(ServerProcess Process, Match Ready)> StartCliAsync(IEnumerable<string> args, Regex ready, IDictionary<string, string?>? environment = null) =>
        StartAsync(ProcessRunner.CliCommand.FileName, [.. ProcessRunner.CliCommand.Arguments, .. args], ready, environment);

    public static async Task<(ServerProcess Process, Match Ready)> StartAsync(string fileName, IEnumerable<string> args, Regex ready, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = ProcessRunner.StartInfo(fileName, args, environment, redirectInput: true, workingDirectory);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        var readyTask = server.WaitForLineAsync(ready, timeout ?? TimeSpan.FromSeconds(60));
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, server._stdout);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, server._stderr);
        process.Exited += (_, _) => server.OnExit();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (server, await readyTask);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes with the first line (already written or to come) that matches.</summary>
    public Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var signal = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var existing = pattern.Match(_output.ToString());
            if (existing.Success)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((pattern, signal));
        }

        return signal.Task.WaitAsync(timeout).ContinueWith(
            t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"No line matching {pattern} within {timeout}. Output so far:\n{Output}"),
            TaskScheduler.Default);
    }

    /// <summary>Sends SIGTERM (a graceful stop) and waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself (<paramref name="timeout"/> only as a hang guard); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
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
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }

    private void OnLine(string? line, StringBuilder stream)
    {
        if (line is null)
        {
            return;
        }

        List<(Match, TaskCompletionSource<Match>)> hits = [];
        lock (_output)
        {
            _output.AppendLine(line);
            stream.AppendLine(line);
            foreach (var waiter in _waiters.ToList())
            {
                var match = waiter.Pattern.Match(line);
                if (match.Success)
                {
                    hits.Add((match, waiter.Signal));
                    _waiters.Remove(waiter);
                }
            }
        }

        foreach (var (match, signal) in hits)
        {
            signal.TrySetResult(match);
        }
    }

    private void OnExit()
    {
        lock (_output)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Signal.TrySetException(new InvalidOperationException($"The process exited before the line came. Output:\n{_output}"));
            }

            _waiters.Clear();
        }
    }
}
