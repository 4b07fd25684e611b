using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Secretary.Aws.Internals;

/// <summary>
/// What the options leave open, resolved the way the AWS CLI and SDKs do: the region, the endpoint override and
/// the credentials (explicit, a named profile, or null for the SDK's default chain, resolved per request).
/// </summary>
internal sealed class AwsStoreSettings
{
    private AwsStoreSettings(string region, string? serviceUrl, AWSCredentials? credentials)
    {
        Region = region;
        ServiceUrl = serviceUrl;
        Credentials = credentials;
    }

    public string Region { get; }

    public string? ServiceUrl { get; }

    public AWSCredentials? Credentials { get; }

    /// <exception cref="ArgumentException">No region can be found, the profile does not exist, or the endpoint is not a URL.</exception>
    public static AwsStoreSettings Resolve(AwsSecretsManagerStoreOptions options)
    {
        var env = options.Environment;
        CredentialProfile? profile = null;
        var credentials = options.Credentials;
        var profileName = options.Profile ?? NullIfEmpty(env("AWS_PROFILE")) ?? "default";
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
            ?? (profile ?? TryProfile(chain, profileName))?.Region?.SystemName
            ?? throw new ArgumentException("No AWS region: set Region (--region), AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile.");
        if (!AwsSecretsManagerStoreOptions.IsRegionName(region))
        {
            throw new ArgumentException($"The AWS region '{region}' is not a region name such as us-east-1.");
        }

        var ignoreConfigured = string.Equals(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        var serviceUrl = options.ServiceUrl
            ?? (ignoreConfigured ? null : NullIfEmpty(env("AWS_ENDPOINT_URL_SECRETS_MANAGER")) ?? NullIfEmpty(env("AWS_ENDPOINT_URL")));
        if (serviceUrl is not null && !Uri.TryCreate(serviceUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"The Secrets Manager endpoint '{serviceUrl}' is not an absolute URL.");
        }

        return new AwsStoreSettings(region, serviceUrl, credentials);
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
