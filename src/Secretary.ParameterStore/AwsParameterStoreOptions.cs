using Amazon.Runtime;
using Secretary.ParameterStore.Internals;
using Secretary.Internals.Aws;

namespace Secretary.ParameterStore;

/// <summary>
/// Settings of an <see cref="AwsParameterStore"/>. Unset values come from where the AWS CLI and SDKs take them:
/// <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c> or the profile for the region, <c>AWS_ENDPOINT_URL_SSM</c>/<c>AWS_ENDPOINT_URL</c>
/// for the endpoint, and the SDK's default credential chain. Copied when the store is built.
/// </summary>
public sealed partial class AwsParameterStoreOptions
{
    /// <summary>Gets or sets the region.</summary>
    /// <value>Default null: <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then the profile's <c>region</c>. A region name such as <c>us-east-1</c>.</value>
    public string? Region { get; set; }

    /// <summary>Gets or sets an endpoint override, for example <c>http://127.0.0.1:4566</c> for the emulator. Requests are still signed for the region.</summary>
    /// <value>Default null: <c>AWS_ENDPOINT_URL_SSM</c>, then <c>AWS_ENDPOINT_URL</c> (unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>), then the region's public endpoint. An absolute http or https URL.</value>
    public string? ServiceUrl { get; set; }

    /// <summary>Gets or sets the shared-config profile to take credentials (and, when unset, the region) from.</summary>
    /// <value>Default null: the SDK's default credential chain.</value>
    public string? Profile { get; set; }

    /// <summary>Gets or sets explicit credentials; they take precedence over <see cref="Profile"/> and the default chain.</summary>
    /// <value>Default null.</value>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Gets or sets the path put before names that do not begin with <c>/</c> (the <c>ssm:PREFIX</c> store spec).</summary>
    /// <value>Default null (names as given). Begins with <c>/</c>; a <c>/</c> is added at the end when missing.</value>
    public string? PathPrefix { get; set; }

    /// <summary>Gets or sets a value indicating whether SecureString values are read decrypted (<c>WithDecryption</c>).</summary>
    /// <value>Default true. When false, a SecureString is read as its ciphertext and a Secrets Manager reference is refused by the service.</value>
    public bool WithDecryption { get; set; } = true;

    /// <summary>Gets or sets the SDK retry mode.</summary>
    /// <value>Default <see cref="RequestRetryMode.Standard"/>.</value>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>Gets or sets the attempts per call, the first one included.</summary>
    /// <value>Default 3; 1 to 10.</value>
    public int MaxAttempts { get; set; } = ParameterStoreDefaults.MaxAttempts;

    /// <summary>Gets or sets the time one call may take, retries included (a hierarchy read: each page).</summary>
    /// <value>Default 10 seconds; 50 ms to 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = ParameterStoreDefaults.Timeout;

    /// <summary>Gets or sets the clock of the per-call timeout.</summary>
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

        if (ServiceUrl is not null && !IsServiceUrl(ServiceUrl))
        {
            problems.Add($"ServiceUrl '{ServiceUrl}' is not an absolute http or https URL.");
        }

        if (Profile is not null && string.IsNullOrWhiteSpace(Profile))
        {
            problems.Add("Profile must not be blank.");
        }

        if (PathPrefix is not null && (!PathPrefix.StartsWith('/') || PathPrefix.Contains(':', StringComparison.Ordinal) || PathPrefix.Any(char.IsWhiteSpace) || PathPrefix.Length > 1011))
        {
            problems.Add($"PathPrefix '{PathPrefix}' must be a parameter path that begins with '/' (no spaces, no ':').");
        }

        if (!Enum.IsDefined(RetryMode))
        {
            problems.Add($"RetryMode {RetryMode} is not a retry mode.");
        }

        if (MaxAttempts is < 1 or > ParameterStoreDefaults.MaxMaxAttempts)
        {
            problems.Add($"MaxAttempts {MaxAttempts} is out of range 1..{ParameterStoreDefaults.MaxMaxAttempts}.");
        }

        if (Timeout < ParameterStoreDefaults.MinTimeout || Timeout > ParameterStoreDefaults.MaxTimeout)
        {
            problems.Add($"Timeout {Timeout} is out of range {ParameterStoreDefaults.MinTimeout}..{ParameterStoreDefaults.MaxTimeout}.");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid Parameter Store options: " + string.Join(" ", problems));
        }
    }

    internal AwsParameterStoreOptions Duplicate()
    {
        var copy = (AwsParameterStoreOptions)MemberwiseClone();
        if (copy.PathPrefix is { } prefix && !prefix.EndsWith('/'))
        {
            copy.PathPrefix = prefix + "/";
        }

        return copy;
    }

    internal static bool IsRegionName(string? region) => AwsClientSettings.IsRegionName(region);

    private static bool IsServiceUrl(string url) => AwsClientSettings.IsServiceUrl(url);
}
