using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

#if SECRETARY_NPGSQL
namespace Secretary.Npgsql;
#else
namespace Secretary.MySqlConnector;
#endif

/// <summary>How a data source takes its credentials from a secret. Copied when the data source is built; later changes have no effect.</summary>
public sealed class SecretaryCredentialOptions
{
    /// <summary>
    /// When true, the secret's <c>host</c>, <c>port</c> and <c>dbname</c> replace the connection string's (each only when
    /// the secret has it); when false only <c>username</c> and <c>password</c> are taken from the secret.
    /// <value>Default: true.</value>
    /// </summary>
    public bool UseSecretEndpoint { get; set; } = true;

    /// <summary>
    /// When an open fails authentication and a fresh read of AWSCURRENT brings nothing new, read AWSPENDING too: a
    /// single-user rotation sets the new password (setSecret) before it moves AWSCURRENT (finishSecret), and opens in
    /// between succeed only with the pending password. Needs <c>secretsmanager:GetSecretValue</c> on that stage.
    /// <value>Default: true.</value>
    /// </summary>
    public bool TryPendingOnAuthenticationFailure { get; set; } = true;

    /// <summary>
    /// Creates the <c>Secretary</c> meter for the counters <c>secretary.db.authentication_failures</c>,
    /// <c>secretary.db.retried_opens</c> and <c>secretary.db.credential_switches</c> (tagged <c>db.system</c>); a
    /// private meter when null.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Where the data source logs credential switches and authentication failures (never a password); none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal SecretaryCredentialOptions Copy() => (SecretaryCredentialOptions)MemberwiseClone();
}
