using Secretary.Internals.Aws;

namespace Secretary.ParameterStore.Internals;

/// <summary>The Parameter Store store's region, endpoint override (<c>AWS_ENDPOINT_URL_SSM</c>) and credentials.</summary>
internal static class ParameterStoreSettings
{
    /// <exception cref="ArgumentException">No region can be found, the profile does not exist, or the endpoint is not a URL.</exception>
    public static AwsClientSettings Resolve(AwsParameterStoreOptions options) => AwsClientSettings.Resolve(
        options.Region, options.Profile, options.Credentials, options.ServiceUrl, options.Environment,
        "AWS_ENDPOINT_URL_SSM", "Parameter Store");
}
