using Amazon.Runtime;
using Secretary.Aws.Internals;
using Secretary.Internals.Aws;

namespace Secretary.Aws;

/// <summary>
/// Settings of an <see cref="AwsSecretsManagerStore"/>. Unset values come from where the AWS CLI and SDKs take them:
/// <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c> or the profile for the region, <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>/<c>AWS_ENDPOINT_URL</c>
/// for the endpoint, and the SDK's default credential chain. Copied when the store is built.
/// </summary>
public sealed partial class AwsSecretsManagerStoreOptions
{
    /// <summary>Gets or sets the primary region.</summary>
    /// <value>Default null: <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then the profile's <c>region</c>. A region name such as <c>us-east-1</c>.</value>
    public string? Region { get; set; }

    /// <summary>Gets or sets the regions tried, in order, when the ones before them fail with a transient error (network, timeout, 5xx, throttling).</summary>
    /// <value>Default empty (no failover). Each distinct from the others and from <see cref="Region"/>.</value>
    public IList<AwsFallbackRegion> FallbackRegions { get; set; } = [];

    /// <summary>Gets or sets an endpoint override, for example <c>http://127.0.0.1:4566</c> for the emulator. Requests are still signed for the region.</summary>
    /// <value>Default null: <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, then <c>AWS_ENDPOINT_URL</c> (unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>), then the region's public endpoint. An absolute http or https URL.</value>
    public string? ServiceUrl { get; set; }

    /// <summary>Gets or sets the shared-config profile to take credentials (and, when unset, the region) from.</summary>
    /// <value>Default null: the SDK's default credential chain (environment, <c>AWS_PROFILE</c> or <c>default</c> profile, SSO, web identity, container, instance metadata).</value>
    public string? Profile { get; set; }

    /// <summary>Gets or sets explicit credentials; they take precedence over <see cref="Profile"/> and the default chain.</summary>
    /// <value>Default null.</value>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Gets or sets the SDK retry mode used for each region.</summary>
    /// <value>Default <see cref="RequestRetryMode.Standard"/> (exponential backoff with jitter, retry quota); <see cref="RequestRetryMode.Adaptive"/> adds client-side rate limiting.</value>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>Gets or sets the attempts per region, the first one included.</summary>
    /// <value>Default 3; 1 to 10.</value>
    public int MaxAttempts { get; set; } = AwsStoreDefaults.MaxAttempts;

    /// <summary>Gets or sets the time one call to one region may take, retries included; also the timeout of each HTTP attempt.</summary>
    /// <value>Default 10 seconds; 50 ms to 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = AwsStoreDefaults.Timeout;

    /// <summary>Gets or sets a value indicating whether the FIPS endpoints are used (ignored with a <see cref="ServiceUrl"/>).</summary>
    /// <value>Default false.</value>
    public bool UseFipsEndpoint { get; set; }

    /// <summary>Gets or sets a value indicating whether the dual-stack (IPv6) endpoints are used (ignored with a <see cref="ServiceUrl"/>).</summary>
    /// <value>Default false.</value>
    public bool UseDualstackEndpoint { get; set; }

    /// <summary>Gets or sets how long a region that failed is skipped before it is tried again (first); doubled on each further failure.</summary>
    /// <value>Default 30 seconds; greater than zero and at most <see cref="MaxRegionBackoff"/>.</value>
    public TimeSpan RegionBackoff { get; set; } = AwsStoreDefaults.RegionBackoff;

    /// <summary>Gets or sets the longest a failed region is skipped.</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan MaxRegionBackoff { get; set; } = AwsStoreDefaults.MaxRegionBackoff;

    /// <summary>Gets or sets the clock of the per-call timeout and the region backoff.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads environment variables; tests replace it.</summary>
    internal Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Throws when a value is out of range, listing every problem at once.</summary>
    /// <exception cref="ArgumentException">Some values are invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Region is not null && !IsRegionName(Region))
        {
            problems.Add($"Region '{Region}' is not a region name such as us-east-1.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Region is not null)
        {
            seen.Add(Region);
        }

        foreach (var fallback in FallbackRegions ?? [])
        {
            if (fallback is null)
            {
                problems.Add("FallbackRegions must not contain null.");
                continue;
            }

            if (!IsRegionName(fallback.Region))
            {
                problems.Add($"Fallback region '{fallback.Region}' is not a region name such as us-west-2.");
            }
            else if (!seen.Add(fallback.Region))
            {
                problems.Add($"Region '{fallback.Region}' is listed more than once.");
            }

            if (fallback.ServiceUrl is not null && !IsServiceUrl(fallback.ServiceUrl))
            {
                problems.Add($"The ServiceUrl of fallback region '{fallback.Region}' is not an absolute http or https URL.");
            }
        }

        if (FallbackRegions is null)
        {
            problems.Add("FallbackRegions must not be null.");
        }

        if (ServiceUrl is not null && !IsServiceUrl(ServiceUrl))
        {
            problems.Add($"ServiceUrl '{ServiceUrl}' is not an absolute http or https URL.");
        }

        if (Profile is not null && string.IsNullOrWhiteSpace(Profile))
        {
            problems.Add("Profile must not be blank.");
        }

        if (!Enum.IsDefined(RetryMode))
        {
            problems.Add($"RetryMode {RetryMode} is not a retry mode.");
        }

        if (MaxAttempts is < 1 or > AwsStoreDefaults.MaxMaxAttempts)
        {
            problems.Add($"MaxAttempts {MaxAttempts} is out of range 1..{AwsStoreDefaults.MaxMaxAttempts}.");
        }

        if (Timeout < AwsStoreDefaults.MinTimeout || Timeout > AwsStoreDefaults.MaxTimeout)
        {
            problems.Add($"Timeout {Timeout} is out of range {AwsStoreDefaults.MinTimeout}..{AwsStoreDefaults.MaxTimeout}.");
        }

        if (RegionBackoff <= TimeSpan.Zero || RegionBackoff > MaxRegionBackoff)
        {
            problems.Add($"RegionBackoff {RegionBackoff} must be greater than zero and at most MaxRegionBackoff ({MaxRegionBackoff}).");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid AWS Secrets Manager store options: " + string.Join(" ", problems));
        }
    }

    internal AwsSecretsManagerStoreOptions Duplicate()
    {
        var copy = (AwsSecretsManagerStoreOptions)MemberwiseClone();
        copy.FallbackRegions = FallbackRegions is null ? null! : [.. FallbackRegions];
        return copy;
    }

    internal static bool IsRegionName(string? region) => AwsClientSettings.IsRegionName(region);

    private static bool IsServiceUrl(string url) => AwsClientSettings.IsServiceUrl(url);
}
