using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Internals;

/// <summary>
/// The SSRF token, found as the AWS agent finds it: the token file (<c>--token-file</c>), else the first set variable of
/// <c>ssrf_env_variables</c> (a value, or <c>file://path</c>, trimmed), else <c>SECRETARY_TOKEN</c>. With none, the agent
/// refuses to start, unless it may generate one (development): then a token of its own is written, for this instance
/// only, into a directory that must be the agent user's and 0700. Compared in constant time (both sides hashed, then
/// <see cref="CryptographicOperations.FixedTimeEquals"/>). A token read from a file is re-read when the file changes
/// (checked at most once a second).
/// </summary>
internal sealed partial class AgentToken
{
    private const string FileScheme = "file://";
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _path;
    private readonly string? _generated;
    private readonly Lock _gate = new();
    private volatile State _state;

    private AgentToken(TimeProvider time, ILogger logger, string? path, string token, string source, bool generated = false)
    {
        _time = time;
        _logger = logger;
        _path = generated ? null : path;
        _generated = generated ? token : null;
        Source = source;
        _state = new State(Hash(token), time.GetTimestamp(), _path is null ? default : Stamp.Of(_path));
    }

    /// <summary>Where the token came from, for the startup message (never the token).</summary>
    public string Source { get; private set; }

    /// <summary>The file holding the token, when there is one (given, or generated once the port is known).</summary>
    public string? FilePath { get; private set; }

    /// <summary>True when the token was generated and still has to be written (<see cref="WriteGenerated"/>).</summary>
    public bool IsGenerated => _generated is not null;

    public static AgentToken Resolve(SecretaryAgentOptions options, bool generateWhenMissing, TimeProvider time, ILogger logger, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(options.TokenFile))
        {
            var path = Path.GetFullPath(options.TokenFile);
            WarnIfUnsafe(path, logger);
            return new AgentToken(time, logger, path, ReadFile(path, "--token-file"), $"file {path}") { FilePath = path };
        }

        // The AWS agent's variables in its order, then Secretary's own. A variable set to nothing is passed over: an
        // empty token would let any request in.
        foreach (var variable in options.SsrfEnvVariables.Append(AgentDefaults.SecretaryTokenVariable))
        {
            var value = environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value.StartsWith(FileScheme, StringComparison.Ordinal))
            {
                var path = Path.GetFullPath(value[FileScheme.Length..]);
                WarnIfUnsafe(path, logger);
                return new AgentToken(time, logger, path, ReadFile(path, variable, options), $"file {path} (from {variable})") { FilePath = path };
            }

            return new AgentToken(time, logger, null, value, $"environment variable {variable}");
        }

        if (!generateWhenMissing)
        {
            // As the AWS agent says it (Rust's NotPresent), then where else a token may come from.
            throw new AgentConfigurationException(
                $"Could not read SSRF token variable(s) [{string.Join(", ", options.SsrfEnvVariables.Select(v => $"\"{v}\""))}]: environment variable not found"
                + $" (set one of them, {AgentDefaults.SecretaryTokenVariable} or --token-file; serve --dev generates a token)");
        }

        return new AgentToken(time, logger, null, Generate(), "generated", generated: true);
    }

    /// <summary>
    /// Writes the generated token for the agent on <paramref name="port"/> to <c>$XDG_RUNTIME_DIR/secretary/token-PORT</c>
    /// (else <c>~/.secretary/token-PORT</c>), one file per instance, never in a shared temporary directory.
    /// </summary>
    public void WriteGenerated(int port, Func<string, string?>? environment = null)
    {
        if (_generated is null)
        {
            return;
        }

        var directory = GeneratedTokenDirectory(environment ?? Environment.GetEnvironmentVariable);
        var path = Path.Combine(directory, "token-" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        PrivateFiles.WriteAtomically(path, Encoding.UTF8.GetBytes(_generated));
        FilePath = path;
        Source = $"generated, written to {path}";
    }

    /// <summary>Removes the generated token's file when it still holds this instance's token.</summary>
    public void DeleteGenerated()
    {
        if (_generated is null || FilePath is null)
        {
            return;
        }

        try
        {
            if (File.Exists(FilePath) && File.ReadAllText(FilePath).Trim() == _generated)
            {
                File.Delete(FilePath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.TokenReloadFailed(_logger, FilePath, ex.GetType().Name);
        }
    }

    /// <summary>The private directory for generated tokens; refused when another user could reach into it.</summary>
    public static string GeneratedTokenDirectory(Func<string, string?> environment)
    {
        var runtime = environment("XDG_RUNTIME_DIR");
        var home = environment("HOME");
        var directory = !string.IsNullOrEmpty(runtime) && Path.IsPathFullyQualified(runtime) && Directory.Exists(runtime)
            ? Path.Combine(runtime, "secretary")
            : !string.IsNullOrEmpty(home) && Path.IsPathFullyQualified(home)
                ? Path.Combine(home, ".secretary")
                : throw new AgentConfigurationException(
                    "Cannot write a generated token: neither XDG_RUNTIME_DIR nor HOME is set (a shared temporary directory is never used); set a token variable or --token-file.");
        PrivateFiles.EnsurePrivateDirectory(directory);
        return directory;
    }

    /// <summary>True when <paramref name="candidate"/> is the token. Constant time in the candidate's content.</summary>
    public bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        var state = Current();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(candidate, hash);
        return CryptographicOperations.FixedTimeEquals(hash, state.Hash);
    }

    private State Current()
    {
        var state = _state;
        if (_path is null || _time.GetElapsedTime(state.CheckedAt) < RecheckInterval)
        {
            return state;
        }

        lock (_gate)
        {
            state = _state;
            if (_time.GetElapsedTime(state.CheckedAt) < RecheckInterval)
            {
                return state;
            }

            try
            {
                var stamp = Stamp.Of(_path);
                if (stamp != state.Stamp)
                {
                    var token = ReadFile(_path, "token file");
                    state = new State(Hash(token), _time.GetTimestamp(), stamp);
                    Log.TokenReloaded(_logger, _path);
                }
                else
                {
                    state = state with { CheckedAt = _time.GetTimestamp() };
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AgentConfigurationException)
            {
                // Keep the last good token; a half-written or vanished file must not lock everyone out.
                Log.TokenReloadFailed(_logger, _path, ex.GetType().Name);
                state = state with { CheckedAt = _time.GetTimestamp() };
            }

            _state = state;
            return state;
        }
    }

    /// <summary>
    /// A token that another local user can replace or read is no token: say so (the file is the operator's, so it is not
    /// changed). Group read is fine: the AWS agent's install shares its token with a reader group (0640).
    /// </summary>
    private static void WarnIfUnsafe(string path, ILogger logger)
    {
        if (!UnixNative.IsSupported || UnixNative.Inspect(path) is not { } file)
        {
            return;
        }

        if (file.IsSymbolicLink)
        {
            Log.TokenFileUnsafe(logger, path, "is a symbolic link (whoever controls its target controls the token)");
            return;
        }

        var me = UnixNative.EffectiveUserId();
        if (file.Owner != me && file.Owner != 0)
        {
            Log.TokenFileUnsafe(logger, path, $"is owned by another user (uid {file.Owner})");
        }

        const UnixFileMode Loose = UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if ((file.Mode & Loose) != 0)
        {
            Log.TokenFileUnsafe(logger, path, $"can be read or written by other users (mode {Convert.ToString((int)file.Mode, 8)}; chmod 600 or 640 it)");
        }
    }

    private static string ReadFile(string path, string source, SecretaryAgentOptions? options = null)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                UnauthorizedAccessException => "Permission denied",
                _ => ex.GetType().Name,
            };
            throw new AgentConfigurationException(
                options is null
                    ? $"Cannot read the token file '{path}' ({source}): {reason}."
                    : $"Could not read SSRF token variable(s) [{string.Join(", ", options.SsrfEnvVariables.Select(v => $"\"{v}\""))}]: {reason} ({source}: {path})",
                ex);
        }

        return token.Length == 0 ? throw new AgentConfigurationException($"The token file '{path}' ({source}) is empty.") : token;
    }

    private static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Hash(string token)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        HashInto(token, hash);
        return hash;
    }

    private static void HashInto(string text, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        SHA256.HashData(bytes[..length], destination);
    }

    private sealed record State(byte[] Hash, long CheckedAt, Stamp Stamp);

    private readonly record struct Stamp(long Length, DateTime WrittenUtc)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new Stamp(info.Length, info.LastWriteTimeUtc) : throw new FileNotFoundException("The token file is gone.", path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Information, "The token file {Path} changed; the new token is in force", EventName = "TokenReloaded")]
        public static partial void TokenReloaded(ILogger logger, string path);

        [LoggerMessage(22, LogLevel.Warning, "The token file {Path} {Problem}", EventName = "TokenFileUnsafe")]
        public static partial void TokenFileUnsafe(ILogger logger, string path, string problem);

        [LoggerMessage(21, LogLevel.Warning, "The token file {Path} cannot be re-read ({Error}); keeping the last token", EventName = "TokenReloadFailed")]
        public static partial void TokenReloadFailed(ILogger logger, string path, string error);
    }
}
