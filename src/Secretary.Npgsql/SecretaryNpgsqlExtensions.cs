using Secretary;
using Secretary.Npgsql;

namespace Npgsql;

/// <summary>Takes an Npgsql data source's credentials from a Secretary secret.</summary>
public static class SecretaryNpgsqlExtensions
{
    /// <summary>
    /// New connections take their user and password (and host, port and database, when the secret has them) from
    /// <paramref name="secretId"/>, a secret in the RDS format (<c>engine</c>, <c>host</c>, <c>port</c>,
    /// <c>username</c>, <c>password</c>, <c>dbname</c>) read through <paramref name="cache"/>. Call
    /// <see cref="SecretaryNpgsqlDataSourceBuilder.Build"/> on the result.
    /// </summary>
    /// <exception cref="ArgumentException">The secret id is malformed.</exception>
    public static SecretaryNpgsqlDataSourceBuilder UseSecretaryCredentials(
        this NpgsqlDataSourceBuilder builder,
        ISecretCache cache,
        string secretId,
        Action<SecretaryCredentialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cache);
        new SecretRequest(secretId).Validate();
        var options = new SecretaryCredentialOptions();
        configure?.Invoke(options);
        return new SecretaryNpgsqlDataSourceBuilder(builder, cache, secretId, options.Copy());
    }
}
