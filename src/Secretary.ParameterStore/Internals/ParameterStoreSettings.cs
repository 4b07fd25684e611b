using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Secretary.ParameterStore.Internals;

/// <summary>
/// What the options leave open, resolved as the AWS CLI and SDKs do: the region, the endpoint override
/// (<c>AWS_ENDPOINT_URL_SSM</c>, then <c>AWS_ENDPOINT_URL</c>) and the credentials (explicit, a profile, or the default chain).
/// </summary>
internal sealed record ParameterStoreSettings(string Region, string? ServiceUrl, AWSCredentials? Credentials)
{
    /// <exception cref="ArgumentException">No region can be found, or the profile does not exist.</exception>
    public static ParameterStoreSettings Resolve(AwsParameterStoreOptions options)
    {
        var env = options.Environment;
        CredentialProfile? profile = null;
        var credentials = options.Credentials;
        var chain = new CredentialProfileStoreChain();
        if (options.Profile is not null)
        {
            if (!chain.TryGetProfile(options.Profile, out profile))
            {
                throw new ArgumentException($"The AWS profile '{options.Profile}' was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).");
            }

            if (credentials is null && !chain.TryGetAWSCredentials(options.Profile, out credentials))
            {
                throw new ArgumentException($"The AWS profile '{options.Profile}' has no usable credentials.");
            }
        }

        var region = options.Region
            ?? NullIfEmpty(env("AWS_REGION"))
            ?? NullIfEmpty(env("AWS_DEFAULT_REGION"))
            ?? (profile ?? TryProfile(chain, options.Profile ?? NullIfEmpty(env("AWS_PROFILE")) ?? "default"))?.Region?.SystemName
            ?? throw new ArgumentException("No AWS region: set Region (--region), AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile.");
        if (!AwsParameterStoreOptions.IsRegionName(region))
        {
            throw new ArgumentException($"The AWS region '{region}' is not a region name such as us-east-1.");
        }

        var ignoreConfigured = string.Equals(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        var serviceUrl = options.ServiceUrl
            ?? (ignoreConfigured ? null : NullIfEmpty(env("AWS_ENDPOINT_URL_SSM")) ?? NullIfEmpty(env("AWS_ENDPOINT_URL")));
        if (serviceUrl is not null && !Uri.TryCreate(serviceUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"The Parameter Store endpoint '{serviceUrl}' is not an absolute URL.");
        }

        return new ParameterStoreSettings(region, serviceUrl, credentials);
    }

    private static CredentialProfile? TryProfile(CredentialProfileStoreChain chain, string name)
    {
        try
        {
            return chain.TryGetProfile(name, out var profile) ? profile : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
