using Secretary.Aws;

namespace Secretary.Hosting;

/// <summary>
/// The AWS Secrets Manager settings of <see cref="SecretaryOptions"/> (store kind <c>aws</c>), in a shape that binds from
/// configuration. Unset values come from where the AWS CLI and SDKs take them (<c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL</c>, profiles).
/// </summary>
public sealed class SecretaryAwsOptions
{
    /// <summary>Gets or sets the primary region.</summary>
    /// <value>Default null: <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then the profile's region.</value>
    public string? Region { get; set; }

    /// <summary>Gets or sets the regions tried in order when the ones before them fail transiently, each <c>REGION</c> or <c>REGION=URL</c>.</summary>
    /// <value>Default empty (no failover).</value>
    public IList<string> FallbackRegions { get; set; } = [];

    /// <summary>Gets or sets an endpoint override such as <c>http://127.0.0.1:4566</c> (the emulator).</summary>
    /// <value>Default null: <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, then <c>AWS_ENDPOINT_URL</c>, then the region's endpoint.</value>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the shared-config profile to take credentials (and, when unset, the region) from.</summary>
    /// <value>Default null: the SDK's default credential chain.</value>
    public string? Profile { get; set; }

    /// <summary>Gets or sets a hook that changes the store options in code (credentials, retries, timeouts) after the settings above.</summary>
    /// <value>Default null.</value>
    public Action<AwsSecretsManagerStoreOptions>? Configure { get; set; }

    /// <summary>The store options these settings describe.</summary>
    public AwsSecretsManagerStoreOptions ToStoreOptions()
    {
        var options = new AwsSecretsManagerStoreOptions
        {
            Region = string.IsNullOrWhiteSpace(Region) ? null : Region,
            ServiceUrl = string.IsNullOrWhiteSpace(Endpoint) ? null : Endpoint,
            Profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile,
        };
        foreach (var fallback in FallbackRegions ?? [])
        {
            if (!string.IsNullOrWhiteSpace(fallback))
            {
                options.FallbackRegions.Add(AwsFallbackRegion.Parse(fallback));
            }
        }

        Configure?.Invoke(options);
        return options;
    }
}
