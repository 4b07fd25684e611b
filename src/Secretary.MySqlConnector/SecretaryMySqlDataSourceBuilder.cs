using MySqlConnector;

namespace Secretary.MySqlConnector;

/// <summary>
/// Builds a <see cref="SecretaryMySqlDataSource"/> from a <see cref="MySqlDataSourceBuilder"/> (everything but the
/// credentials: pool size, timeouts, SSL, logging) and a database secret. Made by
/// <see cref="SecretaryMySqlExtensions.UseSecretaryCredentials"/>.
/// </summary>
public sealed class SecretaryMySqlDataSourceBuilder
{
    private readonly MySqlDataSourceBuilder _mysql;
    private readonly ISecretCache _cache;
    private readonly string _secretId;
    private readonly SecretaryCredentialOptions _options;
    private bool _built;

    internal SecretaryMySqlDataSourceBuilder(MySqlDataSourceBuilder mysql, ISecretCache cache, string secretId, SecretaryCredentialOptions options)
    {
        _mysql = mysql;
        _cache = cache;
        _secretId = secretId;
        _options = options;
    }

    /// <summary>
    /// Builds the data source. It owns the <see cref="MySqlDataSourceBuilder"/> from now on (it builds one MySqlConnector
    /// data source per user and server the secret names): change that builder no more.
    /// </summary>
    /// <exception cref="InvalidOperationException">Build was called before.</exception>
    /// <exception cref="NotSupportedException">The connection string has a password: the secret provides it.</exception>
    public SecretaryMySqlDataSource Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder already built its data source: make a new MySqlDataSourceBuilder for another one.");
        }

        if (!string.IsNullOrEmpty(_mysql.ConnectionStringBuilder.Password))
        {
            throw new NotSupportedException("The connection string has a Password: remove it, the secret provides the password.");
        }

        _built = true;
        return new SecretaryMySqlDataSource(_mysql, _cache, _secretId, _options);
    }
}
