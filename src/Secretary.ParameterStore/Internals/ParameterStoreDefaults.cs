namespace Secretary.ParameterStore.Internals;

/// <summary>Defaults and limits of the Parameter Store store (the limits are the service's).</summary>
internal static class ParameterStoreDefaults
{
    public const string Kind = "ssm";

    /// <summary>GetParameters takes at most 10 names a call.</summary>
    public const int BatchSize = 10;

    /// <summary>GetParametersByPath answers at most 10 parameters a page.</summary>
    public const int PageSize = 10;

    /// <summary>The most pages one hierarchy read follows (100,000 parameters), so a token that never ends cannot loop forever.</summary>
    public const int MaxPages = 10_000;

    public const int MaxAttempts = 3;
    public const int MaxMaxAttempts = 10;

    /// <summary>The path under which Parameter Store reads Secrets Manager secrets.</summary>
    public const string SecretsManagerReference = "/aws/reference/secretsmanager/";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);
}
