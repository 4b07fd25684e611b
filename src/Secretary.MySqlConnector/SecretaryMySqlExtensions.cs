using Secretary;
using Secretary.MySqlConnector;

namespace MySqlConnector;

/// <summary>Takes a MySqlConnector data source's credentials from a Secretary secret.</summary>
public static class SecretaryMySqlExtensions
{
    /// <summary>
    /// New connections take their user and password (and host, port and database, when the secret has them) from
    /// <paramref name="secretId"/>, a secret in the RDS format (<c>engine</c>, <c>host</c>, <c>port</c>,
    /// <c>username</c>, <c>password</c>, <c>dbname</c>) read through <paramref name="cache"/>. Call
    /// <see cref="SecretaryMySqlDataSourceBuilder.Build"/> on the result.
    /// </summary>
    /// <exception cref="ArgumentException">The secret id is malformed.</exception>
    public static SecretaryMySqlDataSourceBuilder UseSecretaryCredentials(
        this MySqlDataSourceBuilder builder,
        ISecretCache cache,
        string secretId,
        Action<SecretaryCredentialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cache);
        new SecretRequest(secretId).Validate();
        var options = new SecretaryCredentialOptions();
        configure?.Invoke(options);
        return new SecretaryMySqlDataSourceBuilder(builder, cache, secretId, options.Copy());
    }
}
