using Secretary.Agent.Internals;

namespace Secretary.Agent;

/// <summary>
/// Settings of the agent. The AWS Secrets Manager Agent's TOML keys map onto the first group
/// (<c>http_port</c>, <c>ttl_seconds</c>, ...); the rest are Secretary's.
/// </summary>
public sealed class SecretaryAgentOptions
{
    /// <summary>The port to listen on. <value>Default: 2773. Range: 1 to 65535 (0 picks a free port, for tests).</value></summary>
    public int HttpPort { get; set; } = AgentDefaults.HttpPort;

    /// <summary>The address to bind. <value>Default: 127.0.0.1.</value> A non-loopback address needs <see cref="AllowRemote"/>.</summary>
    public string BindAddress { get; set; } = AgentDefaults.BindAddress;

    /// <summary>Allows binding a non-loopback address (the agent then serves secrets to the network: think twice).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>How long a secret is fresh. <value>Default: 300. Range: 1 to 86,400 (0 is refused: a cache is the point).</value></summary>
    public int TtlSeconds { get; set; } = AgentDefaults.TtlSeconds;

    /// <summary>The most entries cached. <value>Default: 1000. Range: 1 to 1,000,000.</value></summary>
    public int CacheSize { get; set; } = AgentDefaults.CacheSize;

    /// <summary>The most requests handled at once; more get 429. <value>Default: 800. Range: 1 to 10,000.</value></summary>
    public int MaxConn { get; set; } = AgentDefaults.MaxConn;

    /// <summary>Request headers that may carry the token. <value>Default: X-Aws-Parameters-Secrets-Token, X-Vault-Token.</value></summary>
    public IList<string> SsrfHeaders { get; set; } = [.. AgentDefaults.SsrfHeaders];

    /// <summary>Environment variables to read the token from, in order; a value or <c>file://path</c>. <value>Default: SECRETARY_TOKEN, AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN.</value></summary>
    public IList<string> SsrfEnvVariables { get; set; } = [.. AgentDefaults.SsrfEnvVariables];

    /// <summary>A file holding the token; read first, and again when it changes.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The prefix of the path form <c>GET {prefix}{secretId}</c>. <value>Default: /v1/.</value></summary>
    public string PathPrefix { get; set; } = AgentDefaults.PathPrefix;

    /// <summary>debug, info, warn, error or none. <value>Default: info.</value></summary>
    public string LogLevel { get; set; } = AgentDefaults.LogLevel;

    /// <summary>The AWS region of the store (the AWS agent's <c>region</c>).</summary>
    public string? Region { get; set; }

    /// <summary>The store spec: <c>aws</c> or <c>file:PATH</c>. <value>Default: aws.</value></summary>
    public string Store { get; set; } = AgentDefaults.Store;

    /// <summary>Regions to fail over to, in order (AWS store).</summary>
    public IList<string> FallbackRegions { get; set; } = [];

    /// <summary>An endpoint override for the AWS store.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>Secrets warmed at start; <c>/readyz</c> is 503 until all are cached.</summary>
    public IList<string> RequiredSecrets { get; set; } = [];

    /// <summary>Fraction of the TTL after which a read starts a background refresh. <value>Default: 0.8. Range: (0, 1].</value></summary>
    public double RefreshAhead { get; set; } = AgentDefaults.RefreshAhead;

    /// <summary>How old a value may be when served stale during a store outage. <value>Default: 86,400 s. Range: 0 or more.</value></summary>
    public int MaxStaleSeconds { get; set; } = AgentDefaults.MaxStaleSeconds;

    /// <summary>The longest a store call may take before waiters get a 504 (or a stale value). <value>Default: 15. Range: 1 to 300.</value></summary>
    public int StoreTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// A Redis fleet backplane (<c>redis</c>, <c>Secretary:Redis</c>, <c>--redis</c>): <c>host:port</c> or a
    /// StackExchange.Redis connection string (<c>password=...,ssl=true</c>). <value>Default: none (no backplane).</value>
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Every problem with these settings, one sentence each.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HttpPort is < 0 or > 65535)
        {
            problems.Add($"http_port must be 1 to 65535 (was {HttpPort}).");
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out var address) && BindAddress != "localhost")
        {
            problems.Add($"bind_address must be an IP address (was '{BindAddress}').");
        }
        else if (!AllowRemote && address is not null && !System.Net.IPAddress.IsLoopback(address))
        {
            problems.Add($"bind_address {BindAddress} is not a loopback address; pass --allow-remote to serve secrets beyond this host.");
        }

        if (TtlSeconds is < 1 or > 86_400)
        {
            problems.Add($"ttl_seconds must be 1 to 86400 (was {TtlSeconds}).");
        }

        if (CacheSize is < 1 or > 1_000_000)
        {
            problems.Add($"cache_size must be 1 to 1000000 (was {CacheSize}).");
        }

        if (MaxConn is < 1 or > 10_000)
        {
            problems.Add($"max_conn must be 1 to 10000 (was {MaxConn}).");
        }

        if (SsrfHeaders is null || SsrfHeaders.Count == 0 || SsrfHeaders.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("ssrf_headers must name at least one header, none empty.");
        }

        if (string.IsNullOrEmpty(PathPrefix) || !PathPrefix.StartsWith('/') || !PathPrefix.EndsWith('/') || PathPrefix.Length < 2
            || PathPrefix.StartsWith("/secretsmanager/", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"path_prefix must start and end with '/', like /v1/ (was '{PathPrefix}').");
        }

        if (!AgentDefaults.LogLevels.Contains(LogLevel?.ToLowerInvariant()))
        {
            problems.Add($"log_level must be one of {string.Join(", ", AgentDefaults.LogLevels)} (was '{LogLevel}').");
        }

        if (string.IsNullOrWhiteSpace(Store))
        {
            problems.Add("store must be 'aws' or 'file:PATH'.");
        }

        if (double.IsNaN(RefreshAhead) || RefreshAhead <= 0 || RefreshAhead > 1)
        {
            problems.Add($"refresh_ahead must be greater than 0 and at most 1 (was {RefreshAhead}).");
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

        foreach (var id in RequiredSecrets ?? [])
        {
            if (!SecretIds.IsValid(id))
            {
                problems.Add("required_secrets has an invalid secret id.");
            }
        }

        return problems;
    }

    /// <summary>The cache settings these options imply.</summary>
    public SecretCacheOptions ToCacheOptions() => new()
    {
        Name = "agent",
        DefaultTtl = TimeSpan.FromSeconds(TtlSeconds),
        MaxEntries = CacheSize,
        RefreshAhead = RefreshAhead,
        MaxStale = TimeSpan.FromSeconds(MaxStaleSeconds),
        StoreTimeout = TimeSpan.FromSeconds(StoreTimeoutSeconds),

        // refreshNow=true must read the store, as with the AWS agent; concurrent refreshes still share one call.
        MinRefreshInterval = TimeSpan.Zero,
    };
}
