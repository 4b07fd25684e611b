using Microsoft.Extensions.Logging;
using Secretary.Aws;

namespace Secretary.Hosting.Internals;

/// <summary>Builds the store <see cref="SecretaryOptions"/> names.</summary>
internal static class SecretaryStoreFactory
{
    public static ISecretStore Create(SecretaryOptions options, ILoggerFactory? loggerFactory, TimeProvider timeProvider)
    {
        var kind = SecretaryOptions.StoreKindOf(options.Store);
        switch (kind)
        {
            case "file":
                var file = options.File;
                return new FileSecretStore(new FileSecretStoreOptions
                {
                    Path = file.Path,
                    EnvironmentName = file.EnvironmentName,
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
