namespace Secretary.Hosting.Internals;

/// <summary>
/// Finds the agent's SSRF token as the agent does: an explicit token, a token file, the first set environment
/// variable (a value or <c>file://path</c>), else the file a Secretary agent generates. A token from a file is
/// re-read when the file changes, so an agent restart with a new generated token is followed.
/// </summary>
internal sealed class AgentTokenProvider
{
    private readonly string? _token;
    private readonly string? _path;
    private readonly Lock _gate = new();
    private readonly bool _refuseLinks;
    private (long Length, DateTime Written, string? Token) _cached;

    private AgentTokenProvider(string? token, string? path, string source, bool refuseLinks = false)
    {
        _token = token;
        _path = path;
        _refuseLinks = refuseLinks;
        Source = source;
    }

    /// <summary>Where the token comes from (never the token), for logs and error messages.</summary>
    public string Source { get; }

    public static AgentTokenProvider Resolve(AgentSecretStoreOptions options, int port)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            return new AgentTokenProvider(options.Token, null, "the Token setting");
        }

        if (!string.IsNullOrWhiteSpace(options.TokenFile))
        {
            var path = Path.GetFullPath(options.TokenFile);
            return new AgentTokenProvider(null, path, $"the file {path}");
        }

        foreach (var variable in options.TokenEnvironmentVariables ?? [])
        {
            var value = options.Environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value.StartsWith("file://", StringComparison.Ordinal))
            {
                var path = Path.GetFullPath(value["file://".Length..]);
                return new AgentTokenProvider(null, path, $"the file {path} (from {variable})");
            }

            return new AgentTokenProvider(value, null, $"the environment variable {variable}");
        }

        if (GeneratedTokenPath(options.Environment, port) is { } generated)
        {
            return new AgentTokenProvider(null, generated, $"the agent's generated token file {generated}", refuseLinks: true);
        }

        return new AgentTokenProvider(null, null, "nowhere (no token variable, no token file, no HOME)");
    }

    /// <summary>Where <c>secretary serve --dev</c> on <paramref name="port"/> writes its generated token; never a shared temporary directory.</summary>
    public static string? GeneratedTokenPath(Func<string, string?> environment, int port)
    {
        var name = "token-" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var runtime = environment("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Directory.Exists(runtime))
        {
            return Path.Combine(runtime, "secretary", name);
        }

        var home = environment("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".secretary", name);
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>The token now, or null when its file cannot be read.</summary>
    public string? Current()
    {
        if (_path is null)
        {
            return _token;
        }

        if (_refuseLinks && IsLink(_path))
        {
            return null; // a link planted where the agent writes its token: never send what it points to
        }

        try
        {
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                return null;
            }

            lock (_gate)
            {
                if (_cached.Token is not null && _cached.Length == info.Length && _cached.Written == info.LastWriteTimeUtc)
                {
                    return _cached.Token;
                }

                var token = File.ReadAllText(_path).Trim();
                _cached = (info.Length, info.LastWriteTimeUtc, token.Length == 0 ? null : token);
                return _cached.Token;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
