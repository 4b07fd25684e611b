using Secretary.Hosting.Internals;

namespace Secretary.Hosting;

/// <summary>
/// Settings of an <see cref="AgentSecretStore"/>: where the agent listens and where the SSRF token comes from.
/// The token is looked up as the agent looks it up: <see cref="Token"/>, <see cref="TokenFile"/>, the first set variable of
/// <see cref="TokenEnvironmentVariables"/> (a value or <c>file://path</c>), else the file a Secretary agent generates
/// (<c>$XDG_RUNTIME_DIR/secretary/token</c>, else <c>~/.secretary/token</c>).
/// </summary>
public sealed class AgentSecretStoreOptions
{
    /// <summary>Gets or sets the agent's base address.</summary>
    /// <value>Default <c>http://127.0.0.1:2773</c> (the AWS Secrets Manager Agent's and <c>secretary serve</c>'s port). An absolute http or https URL.</value>
    public string Url { get; set; } = SecretaryHostingDefaults.AgentUrl;

    /// <summary>Gets or sets the token itself. Prefer a file or an environment variable; never put it in a checked-in file.</summary>
    /// <value>Default null.</value>
    public string? Token { get; set; }

    /// <summary>Gets or sets a file holding the token; re-read when it changes (an agent writes a new one at each start).</summary>
    /// <value>Default null.</value>
    public string? TokenFile { get; set; }

    /// <summary>Gets or sets the environment variables looked at, in order, for the token (a value or <c>file://path</c>).</summary>
    /// <value>Default <c>AWS_TOKEN</c>, <c>AWS_SESSION_TOKEN</c>, <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>, <c>SECRETARY_TOKEN</c> (the agent's order).</value>
    public IList<string> TokenEnvironmentVariables { get; set; } = [.. SecretaryHostingDefaults.AgentTokenEnvironmentVariables];

    /// <summary>Gets or sets the header the token is sent in.</summary>
    /// <value>Default <c>X-Aws-Parameters-Secrets-Token</c> (the agent also accepts <c>X-Vault-Token</c>).</value>
    public string TokenHeader { get; set; } = SecretaryHostingDefaults.AgentTokenHeader;

    /// <summary>
    /// Gets or sets a Unix-domain socket to reach the agent through (<c>secretary serve --unix-socket</c>) instead of TCP;
    /// <see cref="Url"/> then only names the HTTP host.
    /// </summary>
    /// <value>Default null (TCP to <see cref="Url"/>).</value>
    public string? UnixSocket { get; set; }

    /// <summary>
    /// Gets or sets the user the agent runs as (a name or a uid). Before the token is sent, the listener is checked to be
    /// that user (or root): over a Unix socket by its peer credentials, over loopback TCP on Linux by the owner of its
    /// end of the connection. Another local user who took the port while the agent was down is refused.
    /// </summary>
    /// <value>Default null: this process's own user.</value>
    public string? AgentUser { get; set; }

    /// <summary>Gets or sets how long one call to the agent may take.</summary>
    /// <value>Default 10 seconds. Range: greater than zero, at most 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = SecretaryHostingDefaults.AgentTimeout;

    /// <summary>Reads environment variables; tests replace it.</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"Agent:Url must be an absolute http or https URL (was '{Url}').");
        }

        if (string.IsNullOrWhiteSpace(TokenHeader))
        {
            problems.Add("Agent:TokenHeader must not be empty.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > SecretaryHostingDefaults.MaxAgentTimeout)
        {
            problems.Add($"Agent:Timeout must be greater than zero and at most 5 minutes (was {Timeout}).");
        }

        if (UnixSocket is not null && !Path.IsPathFullyQualified(UnixSocket))
        {
            problems.Add($"Agent:UnixSocket must be an absolute path (was '{UnixSocket}').");
        }

        if (AgentUser is not null && Internals.AgentPeer.UserId(AgentUser) is null)
        {
            problems.Add($"Agent:AgentUser '{AgentUser}' is neither a uid nor a known user name.");
        }

        if (TokenEnvironmentVariables is null)
        {
            problems.Add("Agent:TokenEnvironmentVariables must not be null.");
        }

        return problems;
    }

    internal AgentSecretStoreOptions Duplicate()
    {
        var copy = (AgentSecretStoreOptions)MemberwiseClone();
        copy.TokenEnvironmentVariables = [.. TokenEnvironmentVariables ?? []];
        return copy;
    }
}
