using Secretary.Agent.Internals;

namespace Secretary.Agent;

/// <summary>
/// Settings of the agent. The AWS Secrets Manager Agent's TOML keys map onto the first group, with its defaults,
/// ranges and messages (<c>http_port</c>, <c>ttl_seconds</c>, ...); the rest are Secretary's.
/// </summary>
public sealed class SecretaryAgentOptions
{
    // The AWS agent's settings.

    /// <summary>debug, info, warn, error or none, in any case (<c>log_level</c>). <value>Default: info.</value></summary>
    public string LogLevel { get; set; } = AgentDefaults.LogLevel;

    /// <summary>
    /// Writes the log to <c>./logs/secrets_manager_agent.log</c>, rolled at 10 MB, 5 old files kept, as the AWS agent does
    /// (<c>log_to_file</c>). <value>Default: false: the log goes to standard error (the AWS agent's default is true).</value>
    /// </summary>
    public bool LogToFile { get; set; }

    /// <summary>
    /// The console log format, <c>text</c> or <c>json</c> (one JSON object a line, the fields by name); both on standard error.
    /// <value>Default: null: the standard key <c>Logging:Console:FormatterName</c> (<c>Logging__Console__FormatterName=json</c>), else text.</value>
    /// </summary>
    public string? LogFormat { get; set; }

    /// <summary>The port to listen on on 127.0.0.1 (<c>http_port</c>). <value>Default: 2773. Range: 1024 to 65535, or 0 for any free port.</value></summary>
    public int HttpPort { get; set; } = AgentDefaults.HttpPort;

    /// <summary>How long a secret is fresh (<c>ttl_seconds</c>). <value>Default: 300. Range: 0 (every read asks the store) to 3600.</value></summary>
    public int TtlSeconds { get; set; } = AgentDefaults.TtlSeconds;

    /// <summary>The most entries cached (<c>cache_size</c>). <value>Default: 1000. Range: 1 to 1000.</value></summary>
    public int CacheSize { get; set; } = AgentDefaults.CacheSize;

    /// <summary>
    /// The most open connections that carried the token, idle keep-alive ones included (<c>max_conn</c>); a request on
    /// another one gets 429. <value>Default: 800. Range: 1 to 1000.</value>
    /// </summary>
    public int MaxConn { get; set; } = AgentDefaults.MaxConn;

    /// <summary>Request headers that may carry the token, in order (<c>ssrf_headers</c>). <value>Default: X-Aws-Parameters-Secrets-Token, X-Vault-Token. Not empty.</value></summary>
    public IList<string> SsrfHeaders { get; set; } = [.. AgentDefaults.SsrfHeaders];

    /// <summary>
    /// Environment variables to read the token from, in order; a value or <c>file://path</c> (<c>ssrf_env_variables</c>).
    /// <value>Default: AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN (then SECRETARY_TOKEN when none of them is set). Not empty.</value>
    /// </summary>
    public IList<string> SsrfEnvVariables { get; set; } = [.. AgentDefaults.SsrfEnvVariables];

    /// <summary>The prefix of the path form <c>GET {prefix}{secretId}</c> (<c>path_prefix</c>). <value>Default: /v1/. Must begin with /.</value></summary>
    public string PathPrefix { get; set; } = AgentDefaults.PathPrefix;

    /// <summary>The AWS region of the store (<c>region</c>). <value>Default: the SDK's (AWS_REGION, the profile).</value></summary>
    public string? Region { get; set; }

    /// <summary>Serves the cached value when a refresh fails transiently (<c>ignore_transient_errors</c>); false answers the error. <value>Default: true.</value></summary>
    public bool IgnoreTransientErrors { get; set; } = true;

    /// <summary>Checks the AWS credentials at start with STS GetCallerIdentity and refuses to start when they are refused (<c>validate_credentials</c>). <value>Default: true.</value></summary>
    public bool ValidateCredentials { get; set; } = true;

    /// <summary>A shared-credentials file to take the AWS credentials from, re-read every 5 minutes (<c>credentials_file_path</c>). <value>Default: none (the SDK's chain).</value></summary>
    public string? CredentialsFilePath { get; set; }

    // Secretary's settings.

    /// <summary>The address to bind. <value>Default: 127.0.0.1.</value> A non-loopback address needs <see cref="AllowRemote"/>.</summary>
    public string BindAddress { get; set; } = AgentDefaults.BindAddress;

    /// <summary>Allows binding a non-loopback address (the agent then serves secrets to the network: think twice).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>
    /// Also listens on this Unix-domain socket (its directory is made 0700, the socket 0660): only the agent's user and
    /// group can connect, and Secretary's clients verify the listener by its peer credentials. <value>Default: none.</value>
    /// </summary>
    public string? UnixSocket { get; set; }

    /// <summary>
    /// The most connections open at once; more are closed as they arrive. Always kept below the process's descriptor
    /// limit. <value>Default: 4096. Range: 1 to 100,000.</value>
    /// </summary>
    public int MaxOpenConnections { get; set; } = AgentDefaults.MaxOpenConnections;

    /// <summary>Serves <c>/metrics</c> without the token (for a scraper that cannot send headers). <value>Default: false.</value></summary>
    public bool MetricsWithoutToken { get; set; }

    /// <summary>
    /// When no token is configured, generates one for this instance and writes it to <c>$XDG_RUNTIME_DIR/secretary/token-PORT</c>
    /// (else <c>~/.secretary/token-PORT</c>, a 0700 directory); <c>serve --dev</c> sets it. Otherwise the agent refuses to start
    /// without a token, as the AWS agent does. <value>Default: false.</value>
    /// </summary>
    public bool GenerateToken { get; set; }

    /// <summary>A file holding the token; read first, and again when it changes.</summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// How long a Parameter Store parameter stays fresh, in seconds, when it differs from <see cref="TtlSeconds"/> (the
    /// Lambda extension's <c>SSM_PARAMETER_STORE_TTL</c>). <value>Default: null (<see cref="TtlSeconds"/>). Range: 0 to 3600, 0 = no caching.</value>
    /// </summary>
    public int? ParameterStoreTtlSeconds { get; set; }

    /// <summary>The store spec: <c>aws</c> or <c>file:PATH</c>. <value>Default: aws.</value></summary>
    public string Store { get; set; } = AgentDefaults.Store;

    /// <summary>Regions to fail over to, in order (AWS store).</summary>
    public IList<string> FallbackRegions { get; set; } = [];

    /// <summary>An endpoint override for the AWS store.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>Secrets warmed at start; <c>/readyz</c> is 503 until all are cached.</summary>
    public IList<string> RequiredSecrets { get; set; } = [];

    /// <summary>
    /// Fraction of the TTL after which a read starts a background refresh. <value>Default: null — the cache refreshes
    /// at TTL − max(1 s, 10 × the store's p99 latency), at most 0.2 × TTL early. Range: (0, 1].</value>
    /// </summary>
    public double? RefreshAhead { get; set; }

    /// <summary>How old a value may be when served stale during a store outage. <value>Default: 86,400 s. Range: 0 or more.</value></summary>
    public int MaxStaleSeconds { get; set; } = AgentDefaults.MaxStaleSeconds;

    /// <summary>The longest a store call may take before waiters get a 504 (or a stale value). <value>Default: 15. Range: 1 to 300.</value></summary>
    public int StoreTimeoutSeconds { get; set; } = AgentDefaults.StoreTimeoutSeconds;

    /// <summary>
    /// A Redis fleet backplane (<c>redis</c>, <c>Secretary:Redis</c>, <c>--redis</c>): <c>host:port</c> or a
    /// StackExchange.Redis connection string (<c>password=...,ssl=true</c>). <value>Default: none (no backplane).</value>
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Every problem with these settings, one sentence each; the AWS agent's keys first, with its messages, in its order.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!AgentDefaults.LogLevels.Contains(LogLevel?.ToLowerInvariant()))
        {
            problems.Add(AgentMessages.InvalidLogLevel);
        }

        if (HttpPort is not (0 or (>= 1024 and <= 65535)))
        {
            problems.Add(AgentMessages.InvalidHttpPort);
        }

        if (TtlSeconds is < 0 or > 3600)
        {
            problems.Add(AgentMessages.InvalidTtlSeconds);
        }

        if (ParameterStoreTtlSeconds is < 0 or > 3600)
        {
            problems.Add("The Parameter Store TTL in seconds must be in the range 0 to 3600.");
        }

        if (CacheSize is < 1 or > 1000)
        {
            problems.Add(AgentMessages.InvalidCacheSize);
        }

        if (MaxConn is < 1 or > 1000)
        {
            problems.Add(AgentMessages.InvalidMaxConn);
        }

        if (SsrfHeaders is null || SsrfHeaders.Count == 0)
        {
            problems.Add(AgentMessages.EmptySsrfHeaders);
        }
        else if (SsrfHeaders.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("ssrf_headers must not hold an empty header name.");
        }

        if (SsrfEnvVariables is null || SsrfEnvVariables.Count == 0)
        {
            problems.Add(AgentMessages.EmptySsrfEnvVariables);
        }

        if (PathPrefix is null || !PathPrefix.StartsWith('/'))
        {
            problems.Add(AgentMessages.BadPathPrefix);
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out var address) && BindAddress != "localhost")
        {
            problems.Add($"bind_address must be an IP address (was '{BindAddress}').");
        }
        else if (!AllowRemote && address is not null && !System.Net.IPAddress.IsLoopback(address))
        {
            problems.Add($"bind_address {BindAddress} is not a loopback address; pass --allow-remote to serve secrets beyond this host.");
        }

        if (UnixSocket is not null && (string.IsNullOrWhiteSpace(UnixSocket) || !Path.IsPathFullyQualified(UnixSocket)))
        {
            problems.Add($"unix_socket must be an absolute path (was '{UnixSocket}').");
        }

        if (MaxOpenConnections is < 1 or > 100_000)
        {
            problems.Add($"max_open_connections must be 1 to 100000 (was {MaxOpenConnections}).");
        }

        if (string.IsNullOrWhiteSpace(Store))
        {
            problems.Add("store must be 'aws' or 'file:PATH'.");
        }

        if (RefreshAhead is { } ahead && (double.IsNaN(ahead) || ahead <= 0 || ahead > 1))
        {
            problems.Add($"refresh_ahead must be greater than 0 and at most 1 (was {ahead}).");
        }

        if (MaxStaleSeconds < 0)
        {
            problems.Add($"max_stale_seconds must be 0 or more (was {MaxStaleSeconds}).");
        }

        if (StoreTimeoutSeconds is < 1 or > 300)
        {
            problems.Add($"store_timeout_seconds must be 1 to 300 (was {StoreTimeoutSeconds}).");
        }

        if (Redis is not null && string.IsNullOrWhiteSpace(Redis))
        {
            problems.Add("redis must be host:port or a Redis connection string when set.");
        }

        if ((RequiredSecrets ?? []).Any(id => !SecretIds.IsValid(id)))
        {
            problems.Add("required_secrets has an invalid secret id.");
        }

        if (LogFormat is not null && Secretary.Shared.ConsoleLogs.Resolve(LogFormat, null) is null)
        {
            problems.Add(Secretary.Shared.ConsoleLogs.InvalidFormat(LogFormat));
        }

        return problems;
    }

    /// <summary>The cache settings these options imply.</summary>
    public SecretCacheOptions ToCacheOptions() => new()
    {
        Name = "agent",

        // ttl_seconds = 0: nothing is fresh, every read asks the store (concurrent ones still share one call).
        DefaultTtl = Ttl(TtlSeconds),
        StoreKindTtls = ParameterStoreTtlSeconds is { } parameterTtl ? new Dictionary<string, TimeSpan>(StringComparer.Ordinal) { ["ssm"] = Ttl(parameterTtl) } : new Dictionary<string, TimeSpan>(StringComparer.Ordinal),
        MaxEntries = CacheSize,
        RefreshAhead = RefreshAhead,

        // ignore_transient_errors = false: a failed refresh is answered, never covered by the cached value.
        MaxStale = IgnoreTransientErrors ? TimeSpan.FromSeconds(MaxStaleSeconds) : TimeSpan.Zero,
        StoreTimeout = TimeSpan.FromSeconds(StoreTimeoutSeconds),

        // refreshNow=true must read the store, as with the AWS agent; concurrent refreshes still share one call.
        MinRefreshInterval = TimeSpan.Zero,
    };

    private static TimeSpan Ttl(int seconds) => seconds == 0 ? TimeSpan.FromTicks(1) : TimeSpan.FromSeconds(seconds);
}
