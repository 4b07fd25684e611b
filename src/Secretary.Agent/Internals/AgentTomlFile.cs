using Tomlyn;
using Tomlyn.Serialization;

namespace Secretary.Agent.Internals;

/// <summary>
/// The TOML file as written for the AWS Secrets Manager Agent, plus Secretary's own keys.
/// Unknown keys are refused (a typo must not silently fall back to a default).
/// </summary>
internal sealed class AgentTomlFile : ITomlOnDeserialized
{
    // The AWS agent's keys.
    public string? LogLevel { get; set; }

    public bool? LogToFile { get; set; }

    public long? HttpPort { get; set; }

    public long? TtlSeconds { get; set; }

    public long? CacheSize { get; set; }

    public long? MaxConn { get; set; }

    public List<string>? SsrfHeaders { get; set; }

    public List<string>? SsrfEnvVariables { get; set; }

    public string? PathPrefix { get; set; }

    public string? Region { get; set; }

    public bool? IgnoreTransientErrors { get; set; }

    public bool? ValidateCredentials { get; set; }

    // Secretary's keys.
    public string? Store { get; set; }

    public List<string>? FallbackRegions { get; set; }

    public string? EndpointUrl { get; set; }

    public List<string>? RequiredSecrets { get; set; }

    public double? RefreshAhead { get; set; }

    public long? MaxStaleSeconds { get; set; }

    public long? StoreTimeoutSeconds { get; set; }

    public string? TokenFile { get; set; }

    public string? BindAddress { get; set; }

    public bool? AllowRemote { get; set; }

    public string? Redis { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> Unknown { get; set; } = [];

    public void OnTomlDeserialized()
    {
        if (Unknown.Count > 0)
        {
            throw new TomlException($"Unknown key(s): {string.Join(", ", Unknown.Keys.Order(StringComparer.Ordinal))}.");
        }
    }
}
