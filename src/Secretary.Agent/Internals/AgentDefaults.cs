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
    public const double RefreshAhead = 0.8;
    public const int MaxStaleSeconds = 86_400;
    public static readonly string[] SsrfHeaders = ["X-Aws-Parameters-Secrets-Token", "X-Vault-Token"];
    public static readonly string[] SsrfEnvVariables = ["SECRETARY_TOKEN", "AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"];
    public static readonly string[] LogLevels = ["debug", "info", "warn", "error", "none"];
}
