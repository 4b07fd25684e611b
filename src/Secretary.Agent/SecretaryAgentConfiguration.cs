using Microsoft.Extensions.Configuration;
using Secretary.Agent.Internals;

namespace Secretary.Agent;

/// <summary>
/// Reads agent settings: the AWS Secrets Manager Agent's TOML file, and ordinary .NET
/// configuration (the <c>Secretary</c> section: appsettings.json, <c>SECRETARY__HTTPPORT</c>-style
/// environment variables). Later sources override earlier ones.
/// </summary>
public static class SecretaryAgentConfiguration
{
    /// <summary>Applies a TOML file's keys to <paramref name="options"/>.</summary>
    /// <param name="options">The settings to change.</param>
    /// <param name="path">The file; as with the AWS agent, <c>PATH.toml</c> is tried when <c>PATH</c> does not exist.</param>
    /// <exception cref="AgentConfigurationException">The file is missing, not TOML, has an unknown key or a value of the wrong type.</exception>
    public static void ApplyToml(SecretaryAgentOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(path);
        var file = File.Exists(path) ? path : File.Exists(path + ".toml") ? path + ".toml" : null;
        if (file is null)
        {
            throw new AgentConfigurationException($"configuration file \"{path}\" not found");
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigurationException($"Cannot read the configuration file \"{path}\": {ex.Message}", ex);
        }

        AgentTomlReader.Read(text, file, options);
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

    /// <summary>Throws one <see cref="AgentConfigurationException"/> listing every problem, if there are any (the AWS agent's message alone when it is the only one).</summary>
    public static void Validate(SecretaryAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new AgentConfigurationException(string.Join(" ", problems));
        }
    }
}
