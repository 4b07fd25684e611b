using System.CommandLine;
using Secretary.Hosting;

namespace Secretary.Cli.Commands;

/// <summary>
/// The options of the commands that talk to a running agent (<c>get --agent</c>, <c>stats</c>, <c>ping</c>), and the one client they
/// use: <see cref="AgentSecretStore"/> (no proxy, the listener checked to be the agent's user before the token is sent).
/// </summary>
internal sealed class AgentClientOptions
{
    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = "The file holding the agent's token (default: AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN, SECRETARY_TOKEN, then the token a --dev agent generated).",
    };

    public Option<string?> UnixSocket { get; } = new("--unix-socket")
    {
        Description = "Reach the agent through this Unix-domain socket (serve --unix-socket) instead of TCP.",
    };

    public Option<string?> AgentUser { get; } = new("--agent-user")
    {
        Description = "The user the agent runs as (name or uid; default: yours). A listener run by anyone else is refused.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(TokenFile);
        command.Options.Add(UnixSocket);
        command.Options.Add(AgentUser);
    }

    public AgentSecretStore Create(string url, ParseResult result, TimeSpan? timeout = null) => new(new AgentSecretStoreOptions
    {
        Url = url,
        TokenFile = result.GetValue(TokenFile),
        UnixSocket = result.GetValue(UnixSocket),
        AgentUser = result.GetValue(AgentUser),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    });
}
