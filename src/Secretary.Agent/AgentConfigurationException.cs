namespace Secretary.Agent;

/// <summary>The agent's configuration is invalid; the message lists every problem (and the file position for TOML errors).</summary>
public sealed class AgentConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public AgentConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
