using System.ComponentModel;
using System.Diagnostics;

namespace Secretary.Conformance.Support;

/// <summary>Runs a command to completion and captures its output.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?> environment, string? stdin = null, int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{fileName}' could not be started ({ex.Message}). The conformance suite needs the official AWS CLI and boto3: run scripts/install-test-deps.sh.", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s.");
            }

            return new Result(process.ExitCode, await stdout, await stderr);
        }
    }
}
