namespace Secretary.Agent.Internals;

/// <summary>The AWS Secrets Manager Agent's configuration messages, word for word (its <c>constants.rs</c>), and ours beside them.</summary>
internal static class AgentMessages
{
    public const string InvalidLogLevel = "The log level specified in the configuration file isn't valid. The log level must be DEBUG, INFO, WARN, ERROR, or NONE.";
    public const string InvalidHttpPort = "The HTTP port specified in the configuration file isn't valid. The HTTP port must be in the range 1024 to 65535.";
    public const string InvalidTtlSeconds = "The TTL in seconds specified in the configuration file isn't valid. The TTL in seconds must be in the range 0 to 3600.";
    public const string InvalidCacheSize = "The cache size specified in the configuration file isn't valid. The cache size must be in the range 1 to 1000.";
    public const string InvalidMaxConn = "The maximum number of connections specified in the configuration file isn't valid. The maximum number of connections must be in the range 1 to 1000.";
    public const string EmptySsrfHeaders = "The list of SSRF headers in the configuration file can't be empty.";
    public const string EmptySsrfEnvVariables = "The list of SSRF environment variables in the configuration file can't be empty.";
    public const string BadPathPrefix = "The path prefix specified in the configuration file must begin with /.";

    /// <summary>The AWS agent's keys, in its order (they head the list of an unknown key's message).</summary>
    public static readonly string[] AwsKeys =
    [
        "log_level", "log_to_file", "http_port", "ttl_seconds", "cache_size", "ssrf_headers", "ssrf_env_variables", "path_prefix",
        "max_conn", "region", "ignore_transient_errors", "validate_credentials", "credentials_file_path",
    ];
}
