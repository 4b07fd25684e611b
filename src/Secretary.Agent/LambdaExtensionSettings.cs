using System.Globalization;

namespace Secretary.Agent;

/// <summary>
/// The AWS Parameters and Secrets Lambda Extension's environment variables, with its defaults and ranges, and what
/// they mean for the agent (<see cref="ApplyTo"/>). Read with <see cref="FromEnvironment"/>; every bad value is
/// reported in one <see cref="AgentConfigurationException"/>.
/// </summary>
public sealed class LambdaExtensionSettings
{
    /// <summary>The variable that names the Lambda Extensions API's host and port; set in every Lambda environment.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Gets the port (<c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c>). <value>Default 2773; 1 to 65535.</value></summary>
    public int HttpPort { get; init; } = 2773;

    /// <summary>Gets a value indicating whether values are cached (<c>PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED</c>). <value>Default true.</value></summary>
    public bool CacheEnabled { get; init; } = true;

    /// <summary>Gets the most secrets and parameters cached (<c>PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE</c>). <value>Default 1000; 0 to 1000, 0 = no caching.</value></summary>
    public int CacheSize { get; init; } = 1000;

    /// <summary>Gets the log level (<c>PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL</c>). <value>Default info; debug, info, warn, error or none.</value></summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>Gets the most connections served at once (<c>PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS</c>). <value>Default 3; 1 or more.</value></summary>
    public int MaxConnections { get; init; } = 3;

    /// <summary>Gets how long a secret stays fresh, in seconds (<c>SECRETS_MANAGER_TTL</c>). <value>Default 300; 0 to 300, 0 = no caching.</value></summary>
    public int SecretsManagerTtlSeconds { get; init; } = 300;

    /// <summary>Gets the timeout of a Secrets Manager call in milliseconds (<c>SECRETS_MANAGER_TIMEOUT_MILLIS</c>). <value>Default 0 = no timeout of its own; 0 or more.</value></summary>
    public int SecretsManagerTimeoutMillis { get; init; }

    /// <summary>Gets how long a parameter stays fresh, in seconds (<c>SSM_PARAMETER_STORE_TTL</c>). <value>Default 300; 0 to 300, 0 = no caching.</value></summary>
    public int ParameterStoreTtlSeconds { get; init; } = 300;

    /// <summary>Gets the timeout of a Parameter Store call in milliseconds (<c>SSM_PARAMETER_STORE_TIMEOUT_MILLIS</c>). <value>Default 0 = no timeout of its own; 0 or more.</value></summary>
    public int ParameterStoreTimeoutMillis { get; init; }

    /// <summary>Reads the extension's variables through <paramref name="environment"/> (unset or empty = the default).</summary>
    /// <exception cref="AgentConfigurationException">A value is not a number, or out of its range; every problem is listed.</exception>
    public static LambdaExtensionSettings FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<string>();
        var defaults = new LambdaExtensionSettings();
        var settings = new LambdaExtensionSettings
        {
            HttpPort = Number(environment, problems, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", defaults.HttpPort, 1, 65535),
            CacheEnabled = Flag(environment, problems, "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", defaults.CacheEnabled),
            CacheSize = Number(environment, problems, "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", defaults.CacheSize, 0, 1000),
            LogLevel = Level(environment, problems, "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL", defaults.LogLevel),
            MaxConnections = Number(environment, problems, "PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS", defaults.MaxConnections, 1, int.MaxValue),
            SecretsManagerTtlSeconds = Number(environment, problems, "SECRETS_MANAGER_TTL", defaults.SecretsManagerTtlSeconds, 0, 300),
            SecretsManagerTimeoutMillis = Number(environment, problems, "SECRETS_MANAGER_TIMEOUT_MILLIS", 0, 0, int.MaxValue),
            ParameterStoreTtlSeconds = Number(environment, problems, "SSM_PARAMETER_STORE_TTL", defaults.ParameterStoreTtlSeconds, 0, 300),
            ParameterStoreTimeoutMillis = Number(environment, problems, "SSM_PARAMETER_STORE_TIMEOUT_MILLIS", 0, 0, int.MaxValue),
        };
        if (problems.Count > 0)
        {
            throw new AgentConfigurationException(string.Join(" ", problems));
        }

        return settings;
    }

    /// <summary>
    /// Sets the agent's options as the extension behaves: its port, log level, connection limit and cache size; the
    /// Secrets Manager TTL as the default TTL and the Parameter Store TTL for the <c>ssm</c> store kind; no caching
    /// when caching is off, the size is 0 or a TTL is 0 (every read asks the store, concurrent ones share one call).
    /// The store is <c>aws,ssm</c> (Secrets Manager, and Parameter Store as <c>ssm:NAME</c>). The timeouts apply to
    /// the stores' own calls (<see cref="SecretsManagerTimeout"/>, <see cref="ParameterStoreTimeout"/>).
    /// </summary>
    public void ApplyTo(SecretaryAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var caching = CacheEnabled && CacheSize > 0;
        options.HttpPort = HttpPort;
        options.LogLevel = LogLevel;
        options.MaxConn = Math.Min(MaxConnections, 1000);
        options.CacheSize = Math.Max(CacheSize, 1);
        options.TtlSeconds = caching ? SecretsManagerTtlSeconds : 0;
        options.ParameterStoreTtlSeconds = caching ? ParameterStoreTtlSeconds : 0;
        options.Store = "aws,ssm";
        var longest = Math.Max(SecretsManagerTimeoutMillis, ParameterStoreTimeoutMillis);
        if (longest > 0)
        {
            options.StoreTimeoutSeconds = Math.Clamp((longest + 999) / 1000, 1, 300);
        }
    }

    /// <summary>Gets the Secrets Manager store's call timeout, or null for the store's default.</summary>
    public TimeSpan? SecretsManagerTimeout => SecretsManagerTimeoutMillis > 0 ? TimeSpan.FromMilliseconds(SecretsManagerTimeoutMillis) : null;

    /// <summary>Gets the Parameter Store store's call timeout, or null for the store's default.</summary>
    public TimeSpan? ParameterStoreTimeout => ParameterStoreTimeoutMillis > 0 ? TimeSpan.FromMilliseconds(ParameterStoreTimeoutMillis) : null;

    private static int Number(Func<string, string?> environment, List<string> problems, string name, int fallback, int min, int max)
    {
        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add(max == int.MaxValue
                ? $"{name} must be a whole number of at least {min} (was '{text}')."
                : $"{name} must be a whole number from {min} to {max} (was '{text}').");
            return fallback;
        }

        return value;
    }

    private static bool Flag(Func<string, string?> environment, List<string> problems, string name, bool fallback)
    {
        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!bool.TryParse(text.Trim(), out var value))
        {
            problems.Add($"{name} must be true or false (was '{text}').");
            return fallback;
        }

        return value;
    }

    private static string Level(Func<string, string?> environment, List<string> problems, string name, string fallback)
    {
        var text = environment(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        var level = text.Trim().ToLowerInvariant();
        if (level is not ("debug" or "info" or "warn" or "error" or "none"))
        {
            problems.Add($"{name} must be debug, info, warn, error or none (was '{text}').");
            return fallback;
        }

        return level;
    }
}
