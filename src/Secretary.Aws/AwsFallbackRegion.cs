namespace Secretary.Aws;

/// <summary>A region to fail over to when the ones before it are unavailable, with an optional endpoint of its own.</summary>
public sealed class AwsFallbackRegion
{
    /// <summary>Creates a fallback region.</summary>
    /// <param name="region">The region name, for example <c>us-west-2</c>.</param>
    /// <param name="serviceUrl">An endpoint for this region only (a local emulator, a VPC endpoint), or null.</param>
    public AwsFallbackRegion(string region, string? serviceUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        Region = region;
        ServiceUrl = serviceUrl;
    }

    /// <summary>Gets the region name.</summary>
    public string Region { get; }

    /// <summary>Gets the endpoint used for this region.</summary>
    /// <value>Default null: <see cref="AwsSecretsManagerStoreOptions.ServiceUrl"/> when set, otherwise the region's public endpoint.</value>
    public string? ServiceUrl { get; }

    /// <summary>Parses <c>REGION</c> or <c>REGION=URL</c>, the form of the CLI's <c>--fallback-region</c>.</summary>
    /// <exception cref="ArgumentException">The text is empty.</exception>
    public static AwsFallbackRegion Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new(text.Trim()) : new(text[..equals].Trim(), text[(equals + 1)..].Trim());
    }

    /// <inheritdoc />
    public override string ToString() => ServiceUrl is null ? Region : $"{Region}={ServiceUrl}";
}
