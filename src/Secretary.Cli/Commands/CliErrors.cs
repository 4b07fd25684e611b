namespace Secretary.Cli.Commands;

/// <summary>One line per failure, naming the category (never a value), and a distinct exit code per category.</summary>
internal static class CliErrors
{
    public const int Unexpected = 1;
    public const int Usage = 2;

    public static int ExitCode(SecretErrorCategory category) => category switch
    {
        SecretErrorCategory.NotFound => 3,
        SecretErrorCategory.InvalidRequest => 4,
        SecretErrorCategory.InvalidParameter => 5,
        SecretErrorCategory.Format => 6,
        SecretErrorCategory.StoreUnavailable => 7,
        SecretErrorCategory.AccessDenied => 8,
        _ => Unexpected,
    };

    /// <summary>
    /// Runs the agent as the AWS agent runs: a configuration it refuses (the message alone on stderr, word for word) or
    /// a failure to start is exit code 1.
    /// </summary>
    public static async Task<int> RunServeAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Secretary.Agent.AgentConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Unexpected;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null)
        {
            await Console.Error.WriteLineAsync($"Could not bind: {ex.Message}").ConfigureAwait(false);
            return Unexpected;
        }
        catch (Exception ex) when (ex is SecretaryException or ArgumentException or FileNotFoundException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Unexpected;
        }
    }

    /// <summary>Runs <paramref name="action"/>, turning every failure into one line on stderr and its exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SecretaryException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Category}: {ex.Message}").ConfigureAwait(false);
            return ExitCode(ex.Category);
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidOperationException or Secretary.Agent.AgentConfigurationException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.GetType().Name.Replace("Exception", string.Empty, StringComparison.Ordinal)}: {ex.Message}").ConfigureAwait(false);
            return Usage;
        }
    }
}
