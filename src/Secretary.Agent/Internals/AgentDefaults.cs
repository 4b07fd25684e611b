namespace Secretary.Agent.Internals;

/// <summary>The agent's defaults, as the AWS Secrets Manager Agent has them where it has them.</summary>
internal static class AgentDefaults
{
    public const int HttpPort = 2773;
    public const string BindAddress = "127.0.0.1";
    public const int TtlSeconds = 300;
    public const int CacheSize = 1000;
    public const int MaxConn = 800;
    public const string PathPrefix = "/v1/";
    public const string LogLevel = "info";
    public const string Store = "aws";
    public const int MaxStaleSeconds = 86_400;
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxOpenConnections = 4096;
    public const int ReservedDescriptors = 256;
    public const int AnonymousInFlight = 64;
    public const double MinDataRateBytesPerSecond = 240;
    public static readonly TimeSpan MinDataRateGrace = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    // The AWS agent ends every connection after 61 s; here an idle one ends after as long.
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(61);
    public static readonly string[] SsrfHeaders = ["X-Aws-Parameters-Secrets-Token", "X-Vault-Token"];
    public static readonly string[] SsrfEnvVariables = ["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"];

    /// <summary>Read for the token only when none of <see cref="SsrfEnvVariables"/> is set.</summary>
    public const string SecretaryTokenVariable = "SECRETARY_TOKEN";
    public const int StoreTimeoutSeconds = 15;
    public static readonly string[] LogLevels = ["debug", "info", "warn", "error", "none"];
}
