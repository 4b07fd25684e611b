using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Secretary.Internals.Aws;

/// <summary>
/// What a store's options leave open, resolved the way the AWS CLI and SDKs do, for any AWS service client: the region
/// (the options, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's), the endpoint override (the options, the
/// service's own <c>AWS_ENDPOINT_URL_*</c>, then <c>AWS_ENDPOINT_URL</c>, unless
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>) and the credentials (explicit, a named profile's, or null for the SDK's
/// default chain, resolved per request). One file, linked into Secretary.Aws and Secretary.ParameterStore.
/// </summary>
internal sealed partial record AwsClientSettings(string Region, string? ServiceUrl, AWSCredentials? Credentials)
{
    /// <param name="region">The region the options name, or null.</param>
    /// <param name="profile">The profile the options name, or null (then <c>AWS_PROFILE</c>, then <c>default</c>, for the region only).</param>
    /// <param name="credentials">Explicit credentials, or null.</param>
    /// <param name="serviceUrl">The endpoint the options name, or null.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="endpointVariable">The service's own endpoint variable (<c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, <c>AWS_ENDPOINT_URL_SSM</c>).</param>
    /// <param name="serviceName">The service as messages name it.</param>
    /// <exception cref="ArgumentException">No region can be found, the profile does not exist, or the endpoint is not a URL.</exception>
    public static AwsClientSettings Resolve(
        string? region,
        string? profile,
        AWSCredentials? credentials,
        string? serviceUrl,
        Func<string, string?> environment,
        string endpointVariable,
        string serviceName)
    {
        CredentialProfile? named = null;
        var chain = new CredentialProfileStoreChain();
        if (profile is not null)
        {
            if (!chain.TryGetProfile(profile, out named))
            {
                throw new ArgumentException($"The AWS profile '{profile}' was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).");
            }

            if (credentials is null && !chain.TryGetAWSCredentials(profile, out credentials))
            {
                throw new ArgumentException($"The AWS profile '{profile}' has no usable credentials.");
            }
        }

        var resolvedRegion = region
            ?? NullIfEmpty(environment("AWS_REGION"))
            ?? NullIfEmpty(environment("AWS_DEFAULT_REGION"))
            ?? (named ?? TryProfile(chain, profile ?? NullIfEmpty(environment("AWS_PROFILE")) ?? "default"))?.Region?.SystemName
            ?? throw new ArgumentException("No AWS region: set Region (--region), AWS_REGION or AWS_DEFAULT_REGION, or a region in the profile.");
        if (!IsRegionName(resolvedRegion))
        {
            throw new ArgumentException($"The AWS region '{resolvedRegion}' is not a region name such as us-east-1.");
        }

        var ignoreConfigured = string.Equals(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        var resolvedUrl = serviceUrl
            ?? (ignoreConfigured ? null : NullIfEmpty(environment(endpointVariable)) ?? NullIfEmpty(environment("AWS_ENDPOINT_URL")));
        if (resolvedUrl is not null && !Uri.TryCreate(resolvedUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"The {serviceName} endpoint '{resolvedUrl}' is not an absolute URL.");
        }

        return new AwsClientSettings(resolvedRegion, resolvedUrl, credentials);
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

    /// <summary>Whether <paramref name="region"/> is a region name such as us-east-1.</summary>
    public static bool IsRegionName(string? region) => region is not null && RegionPattern().IsMatch(region);

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsServiceUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
