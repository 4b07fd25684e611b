using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Secretary;
using Secretary.Hosting;
using Secretary.Hosting.Internals;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Secretary in a service collection.</summary>
public static class SecretaryServiceCollectionExtensions
{
    /// <summary>Adds Secretary configured from the host's <c>Secretary</c> configuration section; see <see cref="AddSecretary(IServiceCollection, Action{SecretaryOptions}?)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSecretary(this IServiceCollection services) => services.AddSecretary(configure: null);

    /// <summary>
    /// Adds one <see cref="ISecretCache"/> (a <see cref="SecretCache"/> singleton) over the store the <c>Secretary</c>
    /// configuration section names, then <paramref name="configure"/>; the options are validated at start, every problem
    /// in one <see cref="OptionsValidationException"/>. Also registers the store (unless an <see cref="ISecretStore"/> is
    /// registered), <see cref="TimeProvider.System"/> (unless a <see cref="TimeProvider"/> is registered), metrics, the
    /// warm-up of the required secrets at start, and points the static <see cref="Secrets"/> facade at the same cache.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes the options after the configuration section is applied.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSecretary(this IServiceCollection services, Action<SecretaryOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SecretaryOptions>, SecretaryConfigureOptions>());
        AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Like <see cref="AddSecretary(IServiceCollection, Action{SecretaryOptions}?)"/>, with the options bound from
    /// <paramref name="configuration"/> (a section such as <c>configuration.GetSection("Secretary")</c>) instead of the host's <c>Secretary</c> section.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration the options are bound from.</param>
    /// <param name="configure">Changes the options after binding.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSecretary(this IServiceCollection services, IConfiguration configuration, Action<SecretaryOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SecretaryOptions>().Bind(configuration);
        AddCore(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        // Every store kind this package ships, registered explicitly (no reflection): SECRETARY_STORE=aws or agent works after AddSecretary.
        Secretary.Aws.AwsSecretStores.Register();
        AgentSecretStore.Register();
        Secretary.ParameterStore.ParameterStoreSecretStores.Register();
        services.AddOptions<SecretaryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretaryOptions>, SecretaryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ISecretStore>(SecretaryCacheFactory.CreateStore);
        services.TryAddSingleton<SecretCache>(SecretaryCacheFactory.CreateCache);
        services.TryAddSingleton<ISecretCache>(sp => sp.GetRequiredService<SecretCache>());
        services.TryAddSingleton<SecretaryHealthCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SecretaryWarmupService>());
    }
}
