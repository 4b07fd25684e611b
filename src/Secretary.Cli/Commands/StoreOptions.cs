using System.CommandLine;
using Secretary.Aws;

namespace Secretary.Cli.Commands;

/// <summary>
/// The options every command that reads secrets shares: which store, and how to reach it
/// (<c>--store aws [--region R] [--fallback-region R2[=URL] ...] [--endpoint-url URL] [--profile P]</c>).
/// </summary>
internal sealed class StoreOptions
{
    static StoreOptions()
    {
        // SECRETARY_STORE=aws (or aws:REGION) builds the store from the environment, as the AWS CLI would.
        AwsSecretStores.Register();
    }

    public Option<string?> Store { get; } = new("--store")
    {
        Description = $"The store: file:PATH or aws (default: ${SecretStores.EnvironmentVariable}).",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region of the aws store (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region).",
    };

    public Option<string[]> FallbackRegions { get; } = new("--fallback-region")
    {
        Description = "A region to fail over to on transient errors, as REGION or REGION=ENDPOINT_URL; repeat for more, in order.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "Secrets Manager endpoint override, e.g. http://127.0.0.1:4566 (default: AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL).",
    };

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Shared-config profile for credentials and region (default: the SDK's credential chain, AWS_PROFILE).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(Region);
        command.Options.Add(FallbackRegions);
        command.Options.Add(EndpointUrl);
        command.Options.Add(Profile);
    }

    public ISecretStore CreateStore(ParseResult result)
    {
        var spec = result.GetValue(Store) ?? Environment.GetEnvironmentVariable(SecretStores.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new ArgumentException($"No store given: pass --store file:PATH or --store aws, or set {SecretStores.EnvironmentVariable}.");
        }

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        if (!kind.Equals("aws", StringComparison.OrdinalIgnoreCase))
        {
            if (result.GetValue(Region) is not null || result.GetValue(FallbackRegions) is { Length: > 0 } || result.GetValue(EndpointUrl) is not null || result.GetValue(Profile) is not null)
            {
                throw new ArgumentException("--region, --fallback-region, --endpoint-url and --profile apply to --store aws only.");
            }

            return SecretStores.Create(spec);
        }

        var specRegion = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..];
        var profile = result.GetValue(Profile);
        if (profile is null)
        {
            CheckEnvironmentProfile();
        }

        return CreateAws(result.GetValue(Region) ?? specRegion, result.GetValue(FallbackRegions) ?? [], result.GetValue(EndpointUrl), profile);
    }

    /// <summary>
    /// <c>AWS_PROFILE</c> naming no profile is refused as <c>--profile</c> naming none is (exit 2), as the AWS CLI refuses it,
    /// rather than surfacing later as the SDK's failure to find credentials.
    /// </summary>
    public static void CheckEnvironmentProfile()
    {
        if (Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } name
            && !new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain().TryGetProfile(name.Trim(), out _))
        {
            throw new ArgumentException(
                $"The AWS profile '{name.Trim()}' (AWS_PROFILE) was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).");
        }
    }

    /// <summary>The AWS store for the CLI flags (also for <c>serve</c>): unset values come from the environment and the profile.</summary>
    /// <param name="region">The primary region, or null.</param>
    /// <param name="fallbackRegions">Fallback regions as <c>REGION</c> or <c>REGION=ENDPOINT_URL</c>, in order.</param>
    /// <param name="endpointUrl">The endpoint override, or null.</param>
    /// <param name="profile">The shared-config profile, or null.</param>
    /// <param name="credentials">Credentials to use instead of the SDK's chain, or null.</param>
    public static AwsSecretsManagerStore CreateAws(string? region, IEnumerable<string> fallbackRegions, string? endpointUrl, string? profile, Amazon.Runtime.AWSCredentials? credentials = null)
    {
        var options = new AwsSecretsManagerStoreOptions { Region = region, ServiceUrl = endpointUrl, Profile = profile, Credentials = credentials };
        foreach (var fallback in fallbackRegions)
        {
            options.FallbackRegions.Add(AwsFallbackRegion.Parse(fallback));
        }

        return new AwsSecretsManagerStore(options);
    }
}
