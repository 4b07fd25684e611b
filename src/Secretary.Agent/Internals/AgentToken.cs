using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Internals;

/// <summary>
/// The SSRF token: from the token file, else the first configured environment variable (a value
/// or <c>file://path</c>), else a generated one written to a 0600 file. Compared in constant
/// time (both sides hashed, then <see cref="CryptographicOperations.FixedTimeEquals"/>). A token
/// read from a file is re-read when the file changes (checked at most once a second).
/// </summary>
internal sealed partial class AgentToken
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _path;
    private readonly Lock _gate = new();
    private volatile State _state;

    private AgentToken(TimeProvider time, ILogger logger, string? path, string token, string source)
    {
        _time = time;
        _logger = logger;
        _path = path;
        Source = source;
        _state = new State(Hash(token), time.GetTimestamp(), path is null ? default : Stamp.Of(path));
    }

    /// <summary>Where the token came from, for the startup message (never the token).</summary>
    public string Source { get; }

    /// <summary>The file holding the token, when there is one (given, or generated).</summary>
    public string? FilePath => _path;

    public static AgentToken Resolve(SecretaryAgentOptions options, TimeProvider time, ILogger logger, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(options.TokenFile))
        {
            var path = Path.GetFullPath(options.TokenFile);
            WarnIfShared(path, logger);
            return new AgentToken(time, logger, path, ReadFile(path, "--token-file"), $"file {path}");
        }

        foreach (var variable in options.SsrfEnvVariables)
        {
            var value = environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value.StartsWith("file://", StringComparison.Ordinal))
            {
                var path = Path.GetFullPath(value["file://".Length..]);
                WarnIfShared(path, logger);
                return new AgentToken(time, logger, path, ReadFile(path, variable), $"file {path} (from {variable})");
            }

            return new AgentToken(time, logger, null, value, $"environment variable {variable}");
        }

        var generated = Generate();
        var file = WriteGenerated(generated, environment);
        return new AgentToken(time, logger, file, generated, $"generated, written to {file}");
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

    /// <summary>A token other local users can read is no token: say so (the file is the operator's, so it is not changed).</summary>
    private static void WarnIfShared(string path, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        var mode = File.GetUnixFileMode(path);
        if ((mode & Others) != 0)
        {
            Log.TokenFileShared(logger, path, Convert.ToString((int)mode, 8));
        }
    }

    private static string ReadFile(string path, string source)
    {
        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigurationException($"Cannot read the token file '{path}' ({source}): {ex.GetType().Name}.", ex);
        }

        return token.Length == 0 ? throw new AgentConfigurationException($"The token file '{path}' ({source}) is empty.") : token;
    }

    private static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string WriteGenerated(string token, Func<string, string?> environment)
    {
        var runtime = environment("XDG_RUNTIME_DIR");
        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var directory = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)
            ? Path.Combine(runtime, "secretary")
            : Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".secretary");
        var unix = !OperatingSystem.IsWindows();
        if (unix)
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        var path = Path.Combine(directory, "token");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (unix)
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(token));
        }

        if (unix)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when the file already existed
        }

        return path;
    }

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

        [LoggerMessage(22, LogLevel.Warning, "The token file {Path} can be read or written by other users (mode {Mode}); chmod 600 it", EventName = "TokenFileShared")]
        public static partial void TokenFileShared(ILogger logger, string path, string mode);

        [LoggerMessage(21, LogLevel.Warning, "The token file {Path} cannot be re-read ({Error}); keeping the last token", EventName = "TokenReloadFailed")]
        public static partial void TokenReloadFailed(ILogger logger, string path, string error);
    }
}
