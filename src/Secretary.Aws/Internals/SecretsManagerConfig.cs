using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace Secretary.Aws.Internals;

/// <summary>
/// The SDK client configuration of Secrets Manager for one region: signing name <c>secretsmanager</c>,
/// API version 2017-10-17, and the service's endpoint rules (FIPS, dual-stack, partitions) unless a
/// <see cref="ClientConfig.ServiceURL"/> overrides them.
/// </summary>
internal sealed class SecretsManagerConfig : ClientConfig
{
    public const string SigningName = "secretsmanager";

    private static readonly IDefaultConfiguration[] Defaults =
    [
        .. Enum.GetValues<DefaultConfigurationMode>().Select(mode => new DefaultConfiguration { Name = mode, RetryMode = RequestRetryMode.Standard }),
    ];

    public SecretsManagerConfig()
        : base(new DefaultConfigurationProvider(Defaults))
    {
        AuthenticationServiceName = SigningName;
    }

    public override string ServiceVersion => "2017-10-17";

    public override string UserAgent => "secretary/0.1";

    public override string RegionEndpointServiceName => SigningName;

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters)
    {
        if (!string.IsNullOrEmpty(ServiceURL))
        {
            return new Endpoint(ServiceURL);
        }

        var region = RegionEndpoint?.SystemName
            ?? throw new AmazonClientException("No region is configured for Secrets Manager; set Region or a ServiceUrl.");
        return new Endpoint(EndpointUrl(region, UseFIPSEndpoint, UseDualstackEndpoint));
    }

    /// <summary>The service's endpoint rules (without the ones for endpoint overrides): partition suffix, FIPS, dual-stack.</summary>
    internal static string EndpointUrl(string region, bool fips, bool dualStack)
    {
        var partition = Fn.Partition(region) ?? throw new AmazonClientException($"'{region}' is not a region of any known partition.");
        var host = dualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix;
        if (fips && !partition.supportsFIPS)
        {
            throw new AmazonClientException($"FIPS is enabled but the partition of region '{region}' does not support FIPS.");
        }

        if (dualStack && !partition.supportsDualStack)
        {
            throw new AmazonClientException($"Dual-stack is enabled but the partition of region '{region}' does not support it.");
        }

        return fips ? $"https://secretsmanager-fips.{region}.{host}" : $"https://secretsmanager.{region}.{host}";
    }
}
