using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Secretary.Emulator.Internals;

/// <summary>
/// A rotation function run as a program: the event on standard input (one JSON object), the emulator's endpoint and
/// credentials in its environment (<c>SECRETS_MANAGER_ENDPOINT</c>, <c>AWS_ENDPOINT_URL</c>, <c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>); exit code 0 is success.
/// </summary>
internal sealed class CommandRotationFunction : RotationFunction
{
    private const int MaxErrorLength = 2000;

    private readonly string _path;
    private readonly Func<Uri> _endpoint;
    private readonly string _accessKey;
    private readonly string _secretKey;

    public CommandRotationFunction(string name, string path, Func<Uri> endpoint, string accessKey, string secretKey)
        : base(name)
    {
        _path = Path.GetFullPath(path);
        _endpoint = endpoint;
        _accessKey = accessKey;
        _secretKey = secretKey;
    }

    public override async Task<string?> InvokeAsync(RotationEvent rotationEvent, string region, CancellationToken cancellationToken)
    {
        var endpoint = _endpoint().ToString().TrimEnd('/');
        var info = new ProcessStartInfo(_path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_path)!,
        };
        info.Environment["SECRETS_MANAGER_ENDPOINT"] = endpoint;
        info.Environment["AWS_ENDPOINT_URL"] = endpoint;
        info.Environment["AWS_ACCESS_KEY_ID"] = _accessKey;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = _secretKey;
        info.Environment.Remove("AWS_SESSION_TOKEN");
        info.Environment.Remove("AWS_PROFILE");
        info.Environment["AWS_REGION"] = region;
        info.Environment["AWS_DEFAULT_REGION"] = region;

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("The process did not start.");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            return $"The command {_path} could not be started: {ex.Message}";
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.StandardInput.WriteAsync(JsonSerializer.Serialize(rotationEvent, RotationEventJsonContext.Default.RotationEvent).AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            catch (IOException)
            {
                // The program closed its input early; its exit code tells the outcome.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }

            await stdout.ConfigureAwait(false);
            var error = (await stderr.ConfigureAwait(false)).Trim();
            return process.ExitCode == 0
                ? null
                : $"exit code {process.ExitCode}: {(error.Length > MaxErrorLength ? error[^MaxErrorLength..] : error)}";
        }
    }
}
