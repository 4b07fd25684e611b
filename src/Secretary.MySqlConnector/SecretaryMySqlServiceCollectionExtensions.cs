using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Secretary;
using Secretary.MySqlConnector;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="SecretaryMySqlDataSource"/> in dependency injection.</summary>
public static class SecretaryMySqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SecretaryMySqlDataSource"/> (also as <see cref="DbDataSource"/>) whose credentials come
    /// from <paramref name="secretId"/> through the registered <see cref="ISecretCache"/> (<c>AddSecretary()</c>); it
    /// logs through the registered <see cref="ILoggerFactory"/> unless the options name one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="secretId">The database secret, in the RDS format.</param>
    /// <param name="connectionString">Everything but the credentials (pool size, timeouts, SSL mode); host, port and database may come from the secret.</param>
    /// <param name="configureMySql">Further MySqlConnector configuration (tracing, SSL callbacks).</param>
    /// <param name="configure">How the credentials are taken.</param>
    public static IServiceCollection AddSecretaryMySqlDataSource(
        this IServiceCollection services,
        string secretId,
        string? connectionString = null,
        Action<MySqlDataSourceBuilder>? configureMySql = null,
        Action<SecretaryCredentialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        new SecretRequest(secretId).Validate();
        services.TryAddSingleton(provider =>
        {
            var mysql = new MySqlDataSourceBuilder(connectionString);
            var loggerFactory = provider.GetService<ILoggerFactory>();
            if (loggerFactory is not null)
            {
                mysql.UseLoggerFactory(loggerFactory);
            }

            configureMySql?.Invoke(mysql);
            return mysql.UseSecretaryCredentials(provider.GetRequiredService<ISecretCache>(), secretId, options =>
            {
                options.LoggerFactory = loggerFactory;
                configure?.Invoke(options);
            }).Build();
        });
        services.TryAddSingleton<DbDataSource>(provider => provider.GetRequiredService<SecretaryMySqlDataSource>());
        return services;
    }
}
