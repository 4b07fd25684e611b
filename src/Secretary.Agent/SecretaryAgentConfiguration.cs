using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Secretary.Agent.Internals;
using Tomlyn;

namespace Secretary.Agent;

/// <summary>
/// Reads agent settings: the AWS Secrets Manager Agent's TOML file, and ordinary .NET
/// configuration (the <c>Secretary</c> section: appsettings.json, <c>SECRETARY__HTTPPORT</c>-style
/// environment variables). Later sources override earlier ones.
/// </summary>
public static class SecretaryAgentConfiguration
{
    private static readonly TomlSerializerOptions TomlOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Applies a TOML file's keys to <paramref name="options"/>.</summary>
    /// <exception cref="AgentConfigurationException">The file is missing, not TOML, has an unknown key or a value of the wrong type (the message has the position).</exception>
    public static void ApplyToml(SecretaryAgentOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new AgentConfigurationException($"Cannot read the configuration file '{path}': {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AgentConfigurationException($"Cannot read the configuration file '{path}': {ex.Message}", ex);
        }

        AgentTomlFile file;
        try
        {
            file = TomlSerializer.Deserialize<AgentTomlFile>(text, TomlOptions) ?? new AgentTomlFile();
        }
        catch (TomlException ex)
        {
            var where = ex.Line > 0 ? $" at line {ex.Line}, column {ex.Column}" : string.Empty;
            throw new AgentConfigurationException($"The configuration file '{path}' is invalid{where}: {ex.Message}", ex);
        }

        Apply(options, file);
    }

    /// <summary>Applies the <c>Secretary</c> section of <paramref name="configuration"/> (keys named like the option properties).</summary>
    public static void ApplyConfiguration(SecretaryAgentOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Secretary");
        if (section.Exists())
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException ex)
            {
                throw new AgentConfigurationException($"The Secretary configuration section is invalid: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Throws one <see cref="AgentConfigurationException"/> listing every problem, if there are any.</summary>
    public static void Validate(SecretaryAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new AgentConfigurationException("Invalid agent configuration: " + string.Join(" ", problems));
        }
    }

    private static void Apply(SecretaryAgentOptions options, AgentTomlFile file)
    {
        options.LogLevel = file.LogLevel ?? options.LogLevel;
        options.HttpPort = Int(file.HttpPort, "http_port") ?? options.HttpPort;
        options.TtlSeconds = Int(file.TtlSeconds, "ttl_seconds") ?? options.TtlSeconds;
        options.CacheSize = Int(file.CacheSize, "cache_size") ?? options.CacheSize;
        options.MaxConn = Int(file.MaxConn, "max_conn") ?? options.MaxConn;
        options.SsrfHeaders = file.SsrfHeaders ?? options.SsrfHeaders;
        options.SsrfEnvVariables = file.SsrfEnvVariables ?? options.SsrfEnvVariables;
        options.PathPrefix = file.PathPrefix ?? options.PathPrefix;
        options.Region = file.Region ?? options.Region;
        options.Store = file.Store ?? options.Store;
        options.FallbackRegions = file.FallbackRegions ?? options.FallbackRegions;
        options.EndpointUrl = file.EndpointUrl ?? options.EndpointUrl;
        options.RequiredSecrets = file.RequiredSecrets ?? options.RequiredSecrets;
        options.RefreshAhead = file.RefreshAhead ?? options.RefreshAhead;
        options.MaxStaleSeconds = Int(file.MaxStaleSeconds, "max_stale_seconds") ?? options.MaxStaleSeconds;
        options.StoreTimeoutSeconds = Int(file.StoreTimeoutSeconds, "store_timeout_seconds") ?? options.StoreTimeoutSeconds;
        options.TokenFile = file.TokenFile ?? options.TokenFile;
        options.BindAddress = file.BindAddress ?? options.BindAddress;
        options.AllowRemote = file.AllowRemote ?? options.AllowRemote;
        options.Redis = file.Redis ?? options.Redis;
    }

    private static int? Int(long? value, string key) => value switch
    {
        null => null,
        < int.MinValue or > int.MaxValue => throw new AgentConfigurationException($"{key} is out of range ({value})."),
        _ => (int)value,
    };
}
