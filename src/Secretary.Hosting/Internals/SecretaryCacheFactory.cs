using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>Builds the host's store and cache from the validated options.</summary>
internal static class SecretaryCacheFactory
{
    public static ISecretStore CreateStore(IServiceProvider services) =>
        SecretaryStoreFactory.Create(
            services.GetRequiredService<IOptions<SecretaryOptions>>().Value,
            services.GetService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetService<IHostEnvironment>()?.EnvironmentName);

    public static SecretCache CreateCache(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SecretaryOptions>>().Value;
        var cache = new SecretCache(
            services.GetRequiredService<ISecretStore>(),
            options.ToCacheOptions(),
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ILogger<SecretCache>>(),
            services.GetService<IMeterFactory>());
        if (options.UseStaticFacade)
        {
            Secrets.Use(cache);
        }

        return cache;
    }
}
