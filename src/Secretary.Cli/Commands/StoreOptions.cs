using System.CommandLine;
using Secretary.Aws;
using Secretary.ParameterStore;

namespace Secretary.Cli.Commands;

/// <summary>
/// The options every command that reads secrets shares: which store, and how to reach it
/// (<c>--store aws [--region R] [--fallback-region R2[=URL] ...] [--endpoint-url URL] [--profile P]</c>); <c>--store ssm</c>
/// (or <c>ssm:PREFIX</c>) reads Parameter Store, <c>--store aws,ssm</c> both (parameters as <c>ssm:NAME</c>).
/// </summary>
internal sealed class StoreOptions
{
    static StoreOptions()
    {
        // SECRETARY_STORE=aws (or aws:REGION) builds the store from the environment, as the AWS CLI would.
        AwsSecretStores.Register();
        ParameterStoreSecretStores.Register();
    }

    public Option<string?> Store { get; } = new("--store")
    {
        Description = $"The store: file:PATH, aws, ssm (Parameter Store; ssm:PREFIX for names under a path), or several joined by commas, e.g. aws,ssm (default: ${SecretStores.EnvironmentVariable}).",
    };

    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region of the aws and ssm stores (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region).",
    };

    public Option<string[]> FallbackRegions { get; } = new("--fallback-region")
    {
        Description = "A region to fail over to on transient errors, as REGION or REGION=ENDPOINT_URL; repeat for more, in order.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "Endpoint override of the aws and ssm stores, e.g. http://127.0.0.1:4566 (default: AWS_ENDPOINT_URL_SECRETS_MANAGER or AWS_ENDPOINT_URL_SSM, then AWS_ENDPOINT_URL).",
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
            throw new ArgumentException($"No store given: pass --store file:PATH, --store aws or --store ssm, or set {SecretStores.EnvironmentVariable}.");
        }

        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"The store spec '{spec}' has an empty part: join store specs with single commas, e.g. aws,ssm.");
        }

        var kinds = parts.Select(KindOf).ToList();
        if (!kinds.Any(k => k is "aws" or "ssm")
            && (result.GetValue(Region) is not null || result.GetValue(EndpointUrl) is not null || result.GetValue(Profile) is not null))
        {
            throw new ArgumentException("--region, --endpoint-url and --profile apply to --store aws and --store ssm only.");
        }

        if (!kinds.Contains("aws") && result.GetValue(FallbackRegions) is { Length: > 0 })
        {
            throw new ArgumentException("--fallback-region applies to --store aws only.");
        }

        var stores = new List<ISecretStore>();
        try
        {
            foreach (var part in parts)
            {
                stores.Add(CreateOne(part, result));
            }

            return stores.Count == 1 ? stores[0] : new CompositeSecretStore(stores[0], stores.Skip(1));
        }
        catch
        {
            foreach (var store in stores)
            {
                (store as IDisposable)?.Dispose();
            }

            throw;
        }
    }

    private ISecretStore CreateOne(string spec, ParseResult result)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var argument = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..];
        var kind = KindOf(spec);
        var profile = result.GetValue(Profile);
        if (profile is null && kind is "aws" or "ssm")
        {
            CheckEnvironmentProfile();
        }

        return kind switch
        {
            "aws" => CreateAws(result.GetValue(Region) ?? argument, result.GetValue(FallbackRegions) ?? [], result.GetValue(EndpointUrl), profile),
            "ssm" => CreateParameterStore(result.GetValue(Region), argument, result.GetValue(EndpointUrl), profile),
            _ => SecretStores.Create(spec),
        };
    }

    private static string KindOf(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        return kind.ToLowerInvariant() is var lower && lower is "aws" or "ssm" ? lower : kind;
    }

    /// <summary>The Parameter Store store for the CLI flags: unset values come from the environment and the profile.</summary>
    /// <param name="region">The region, or null.</param>
    /// <param name="pathPrefix">The path put before relative names (the <c>ssm:PREFIX</c> spec), or null.</param>
    /// <param name="endpointUrl">The endpoint override, or null.</param>
    /// <param name="profile">The shared-config profile, or null.</param>
    /// <param name="credentials">Credentials to use instead of the SDK's chain, or null.</param>
    /// <param name="timeout">The longest one call may take, or null for the store's default.</param>
    public static AwsParameterStore CreateParameterStore(string? region, string? pathPrefix, string? endpointUrl, string? profile, Amazon.Runtime.AWSCredentials? credentials = null, TimeSpan? timeout = null)
    {
        var options = new AwsParameterStoreOptions { Region = region, PathPrefix = pathPrefix, ServiceUrl = endpointUrl, Profile = profile, Credentials = credentials };
        if (timeout is { } value)
        {
            options.Timeout = value;
        }

        return new(options);
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
    /// <param name="timeout">The longest one call may take, or null for the store's default.</param>
    public static AwsSecretsManagerStore CreateAws(string? region, IEnumerable<string> fallbackRegions, string? endpointUrl, string? profile, Amazon.Runtime.AWSCredentials? credentials = null, TimeSpan? timeout = null)
    {
        var options = new AwsSecretsManagerStoreOptions { Region = region, ServiceUrl = endpointUrl, Profile = profile, Credentials = credentials };
        if (timeout is { } value)
        {
            options.Timeout = value;
        }

        foreach (var fallback in fallbackRegions)
        {
            options.FallbackRegions.Add(AwsFallbackRegion.Parse(fallback));
        }

        return new AwsSecretsManagerStore(options);
    }
}
