using Secretary.Internals.Aws;

namespace Secretary.Aws.Internals;

/// <summary>The Secrets Manager store's region, endpoint override (<c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>) and credentials.</summary>
internal static class AwsStoreSettings
{
    /// <exception cref="ArgumentException">No region can be found, the profile does not exist, or the endpoint is not a URL.</exception>
    public static AwsClientSettings Resolve(AwsSecretsManagerStoreOptions options) => AwsClientSettings.Resolve(
        options.Region, options.Profile, options.Credentials, options.ServiceUrl, options.Environment,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", "Secrets Manager");
}
