using Microsoft.Extensions.Logging;
using Secretary.Aws;

namespace Secretary.Hosting.Internals;

/// <summary>Builds the store <see cref="SecretaryOptions"/> names.</summary>
internal static class SecretaryStoreFactory
{
    /// <param name="options">The validated options.</param>
    /// <param name="loggerFactory">The host's loggers, if any.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="environmentName">
    /// The host's environment (<c>IHostEnvironment.EnvironmentName</c>), which the file store's refusal of Production
    /// follows unless <c>File:EnvironmentName</c> is set: a host with no environment variable is Production.
    /// </param>
    public static ISecretStore Create(SecretaryOptions options, ILoggerFactory? loggerFactory, TimeProvider timeProvider, string? environmentName = null)
    {
        var kind = SecretaryOptions.StoreKindOf(options.Store);
        switch (kind)
        {
            case "file":
                var file = options.File;
                return new FileSecretStore(new FileSecretStoreOptions
                {
                    Path = file.Path,
                    EnvironmentName = file.EnvironmentName ?? environmentName,
                    AllowInProduction = file.AllowInProduction,
                    TimeProvider = file.TimeProvider ?? timeProvider,
                });
            case "aws":
                return new AwsSecretsManagerStore(options.Aws.ToStoreOptions(), loggerFactory?.CreateLogger<AwsSecretsManagerStore>());
            case "agent":
                return new AgentSecretStore(options.Agent, httpClient: null, loggerFactory?.CreateLogger<AgentSecretStore>());
            default:
                return SecretStores.Create(options.Store);
        }
    }
}
