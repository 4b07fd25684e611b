using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Secretary.Testing;

/// <summary>Runs a process to completion (bounded), capturing its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    /// <summary>The configuration this test assembly was built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built CLI (Secretary.Cli.dll, the <c>secretary</c> command).</summary>
    public static string CliDll => System.IO.Path.Combine(RepoRoot.Path, "src", "Secretary.Cli", "bin", Configuration, "net10.0", "Secretary.Cli.dll");

    /// <summary>
    /// How the CLI is started: the native binary named by <c>SECRETARY_CLI</c> (test.sh sets it to run the process-level
    /// tests again against the Native AOT build), else <c>dotnet exec Secretary.Cli.dll</c>.
    /// </summary>
    public static (string FileName, string[] Arguments) CliCommand =>
        Environment.GetEnvironmentVariable("SECRETARY_CLI") is { Length: > 0 } native ? (native, []) : ("dotnet", ["exec", CliDll]);

    public static Task<Result> RunCliAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(CliCommand.FileName, [.. CliCommand.Arguments, .. args], environment, stdin, timeout);

    /// <summary>A start description with output redirected, run from <paramref name="workingDirectory"/> (the repository root by default), with <paramref name="environment"/> applied (null values remove a variable).</summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, IDictionary<string, string?>? environment, bool redirectInput, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot.Path,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = StartInfo(fileName, args, environment, redirectInput: stdin is not null, workingDirectory);
        using var process = Start(info);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time.");
        }

        process.WaitForExit(); // flush the output handlers
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts the process; a missing program is named with where test dependencies come from (a test never skips for it).</summary>
    public static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {info.FileName}.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{info.FileName}' could not be started ({ex.Message}); the test dependencies are installed by scripts/install-test-deps.sh.", ex);
        }
    }
}
