using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Secretary;
using Secretary.Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="SecretaryNpgsqlDataSource"/> in dependency injection.</summary>
public static class SecretaryNpgsqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SecretaryNpgsqlDataSource"/> (also as <see cref="DbDataSource"/>) whose credentials come
    /// from <paramref name="secretId"/> through the registered <see cref="ISecretCache"/> (<c>AddSecretary()</c>); it
    /// logs through the registered <see cref="ILoggerFactory"/> unless the options name one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="secretId">The database secret, in the RDS format.</param>
    /// <param name="connectionString">Everything but the credentials (pool size, timeouts, SSL mode); host, port and database may come from the secret.</param>
    /// <param name="configureNpgsql">Further Npgsql configuration (type mappings, plugins).</param>
    /// <param name="configure">How the credentials are taken.</param>
    public static IServiceCollection AddSecretaryNpgsqlDataSource(
        this IServiceCollection services,
        string secretId,
        string? connectionString = null,
        Action<NpgsqlDataSourceBuilder>? configureNpgsql = null,
        Action<SecretaryCredentialOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        new SecretRequest(secretId).Validate();
        services.TryAddSingleton(provider =>
        {
            var npgsql = new NpgsqlDataSourceBuilder(connectionString);
            var loggerFactory = provider.GetService<ILoggerFactory>();
            if (loggerFactory is not null)
            {
                npgsql.UseLoggerFactory(loggerFactory);
            }

            configureNpgsql?.Invoke(npgsql);
            return npgsql.UseSecretaryCredentials(provider.GetRequiredService<ISecretCache>(), secretId, options =>
            {
                options.LoggerFactory = loggerFactory;
                configure?.Invoke(options);
            }).Build();
        });
        services.TryAddSingleton<DbDataSource>(provider => provider.GetRequiredService<SecretaryNpgsqlDataSource>());
        return services;
    }
}
