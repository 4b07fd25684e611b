using Microsoft.Extensions.Logging;
using Secretary.Aws;
using Secretary.ParameterStore;

namespace Secretary.Hosting.Internals;

/// <summary>Builds the store <see cref="SecretaryOptions"/> names; specs joined by commas (<c>aws,ssm</c>) build a <see cref="CompositeSecretStore"/>.</summary>
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
        var specs = SecretaryOptions.StoreSpecsOf(options.Store);
        if (specs.Length == 1)
        {
            return CreateOne(specs[0], options, loggerFactory, timeProvider, environmentName);
        }

        var stores = new List<ISecretStore>();
        try
        {
            foreach (var spec in specs)
            {
                stores.Add(CreateOne(spec, options, loggerFactory, timeProvider, environmentName));
            }

            return new CompositeSecretStore(stores[0], stores.Skip(1));
        }
        catch
        {
            foreach (var store in stores)
            {
                (store as IDisposable)?.Dispose();
            }

            throw;
        }
    }

    private static ISecretStore CreateOne(string spec, SecretaryOptions options, ILoggerFactory? loggerFactory, TimeProvider timeProvider, string? environmentName)
    {
        var kind = SecretaryOptions.StoreKindOf(spec);
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
            case ParameterAttributes.StoreKind:
                // Parameter Store with the AWS settings of the Aws section (region, endpoint, profile, credentials, retries,
                // timeout); ssm:PREFIX reads relative names under PREFIX.
                var aws = options.Aws.ToStoreOptions();
                var colon = spec.IndexOf(':', StringComparison.Ordinal);
                return new AwsParameterStore(
                    new AwsParameterStoreOptions
                    {
                        Region = aws.Region,
                        ServiceUrl = aws.ServiceUrl,
                        Profile = aws.Profile,
                        Credentials = aws.Credentials,
                        RetryMode = aws.RetryMode,
                        MaxAttempts = aws.MaxAttempts,
                        Timeout = aws.Timeout,
                        PathPrefix = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..],
                        TimeProvider = timeProvider,
                    },
                    loggerFactory?.CreateLogger<AwsParameterStore>());
            default:
                return SecretStores.Create(spec);
        }
    }
}
