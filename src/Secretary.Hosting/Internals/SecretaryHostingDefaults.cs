namespace Secretary.Hosting.Internals;

/// <summary>The defaults of the hosting options, in one place.</summary>
internal static class SecretaryHostingDefaults
{
    public const string SectionName = "Secretary";
    public const string StoreKind = "aws";
    public const string CacheMeterName = "Secretary";
    public const string AgentUrl = "http://127.0.0.1:2773";
    public const string AgentTokenHeader = "X-Aws-Parameters-Secrets-Token";
    public const string HealthCheckName = "secretary";
    public const string StatsPattern = "/secrets-cache-stats";

    // The AWS agent's variables in its order, then Secretary's own (as the agent reads them).
    public static readonly string[] AgentTokenEnvironmentVariables = ["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "SECRETARY_TOKEN"];

    /// <summary>The most bytes read from one answer of the agent (a GetSecretValue answer of a 64 KiB secret is under 100 KiB).</summary>
    public const int MaxAgentResponseBytes = 1024 * 1024;
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StaleHealthWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxAgentTimeout = TimeSpan.FromMinutes(5);
}
