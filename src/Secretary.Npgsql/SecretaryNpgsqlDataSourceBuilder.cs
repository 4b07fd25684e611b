using Npgsql;

namespace Secretary.Npgsql;

/// <summary>
/// Builds a <see cref="SecretaryNpgsqlDataSource"/> from an <see cref="NpgsqlDataSourceBuilder"/> (everything but the
/// credentials: pool size, timeouts, type mappings, logging) and a database secret. Made by
/// <see cref="SecretaryNpgsqlExtensions.UseSecretaryCredentials"/>.
/// </summary>
public sealed class SecretaryNpgsqlDataSourceBuilder
{
    private readonly NpgsqlDataSourceBuilder _npgsql;
    private readonly ISecretCache _cache;
    private readonly string _secretId;
    private readonly SecretaryCredentialOptions _options;
    private bool _built;

    internal SecretaryNpgsqlDataSourceBuilder(NpgsqlDataSourceBuilder npgsql, ISecretCache cache, string secretId, SecretaryCredentialOptions options)
    {
        _npgsql = npgsql;
        _cache = cache;
        _secretId = secretId;
        _options = options;
    }

    /// <summary>
    /// Builds the data source. It owns the <see cref="NpgsqlDataSourceBuilder"/> from now on (it builds one Npgsql data
    /// source per user and server the secret names): change that builder no more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Build was called before.</exception>
    /// <exception cref="NotSupportedException">The connection string has a password or a passfile: the secret provides the password.</exception>
    public SecretaryNpgsqlDataSource Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder already built its data source: make a new NpgsqlDataSourceBuilder for another one.");
        }

        var settings = _npgsql.ConnectionStringBuilder;
        if (settings.Password is not null || settings.Passfile is not null)
        {
            throw new NotSupportedException("The connection string has a Password or Passfile: remove it, the secret provides the password.");
        }

        _built = true;
        return new SecretaryNpgsqlDataSource(_npgsql, _cache, _secretId, _options);
    }
}
