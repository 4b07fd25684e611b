using Secretary.Hosting;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds secrets to configuration.</summary>
public static class SecretaryConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds the keys of secrets to configuration (see <see cref="SecretaryConfigurationSource"/>). The store comes from
    /// the <c>Secretary</c> section of the configuration added before, unless <see cref="SecretaryConfigurationSource.Cache"/>
    /// or <see cref="SecretaryConfigurationSource.Store"/> is set. The first load fails when a secret cannot be read,
    /// unless <see cref="SecretaryConfigurationSource.Optional"/> is set.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="configure">Names the secrets and sets the key mapping, reloading and store.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IConfigurationBuilder AddSecretary(this IConfigurationBuilder builder, Action<SecretaryConfigurationSource> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AgentSecretStore.Register();
        Secretary.ParameterStore.ParameterStoreSecretStores.Register();
        var source = new SecretaryConfigurationSource();
        configure(source);
        return builder.Add(source);
    }

    /// <summary>Adds the keys of <paramref name="secretIds"/> to configuration with the default key mapping (<c>surgicase/main</c> → <c>surgicase:main:KEY</c>).</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="secretIds">The secrets to load.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IConfigurationBuilder AddSecretary(this IConfigurationBuilder builder, params string[] secretIds)
    {
        ArgumentNullException.ThrowIfNull(secretIds);
        return builder.AddSecretary(source =>
        {
            foreach (var id in secretIds)
            {
                source.AddSecret(id);
            }
        });
    }
}
