namespace Secretary.Hosting.Internals;

/// <summary>The listener is not the agent: another user holds its port or socket.</summary>
internal sealed class AgentIdentityException(string message) : IOException(message);
