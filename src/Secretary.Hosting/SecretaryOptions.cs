using Secretary.Hosting.Internals;

namespace Secretary.Hosting;

/// <summary>
/// Settings of Secretary in a host: the store, the cache, the secrets warmed at start and watched by the health check.
/// Bound from the <c>Secretary</c> configuration section by <c>AddSecretary</c>; validated at start, every problem in one
/// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>.
/// </summary>
public sealed class SecretaryOptions
{
    /// <summary>The configuration section the settings are bound from.</summary>
    public const string SectionName = SecretaryHostingDefaults.SectionName;

    /// <summary>Gets or sets the store kind: <c>file</c>, <c>aws</c>, <c>agent</c>, or another kind registered with <see cref="SecretStores.Register"/> (a spec such as <c>kind:argument</c>).</summary>
    /// <value>Default <c>aws</c>. A registered <see cref="ISecretStore"/> service takes precedence over this setting.</value>
    public string Store { get; set; } = SecretaryHostingDefaults.StoreKind;

    /// <summary>Gets or sets the file store settings (store kind <c>file</c>): <c>Path</c> is required.</summary>
    /// <value>Default: no path.</value>
    public FileSecretStoreOptions File { get; set; } = new();

    /// <summary>Gets or sets the AWS Secrets Manager settings (store kind <c>aws</c>).</summary>
    /// <value>Default: the AWS SDK's defaults.</value>
    public SecretaryAwsOptions Aws { get; set; } = new();

    /// <summary>Gets or sets the agent settings (store kind <c>agent</c>).</summary>
    /// <value>Default: the agent at <c>http://127.0.0.1:2773</c>, the token from the usual sources.</value>
    public AgentSecretStoreOptions Agent { get; set; } = new();

    /// <summary>Gets or sets the cache's name in logs and metrics.</summary>
    /// <value>Default <c>default</c>.</value>
    public string CacheName { get; set; } = "default";

    /// <summary>Gets or sets how long a value is fresh.</summary>
    /// <value>Default 300 s. Range: greater than zero, at most 365 days.</value>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets or sets per-secret TTLs by secret id (configuration: <c>Secretary:SecretTtls:surgicase/main = 00:01:00</c>).</summary>
    /// <value>Default empty.</value>
    public IDictionary<string, TimeSpan> SecretTtls { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>Gets or sets the fraction of the TTL after which the first reader starts a background refresh.</summary>
    /// <value>Default null: the cache refreshes at TTL − max(1 s, 10 × the store's p99 latency), at most 0.2 × TTL early.
    /// Range: greater than 0, at most 1 (off).</value>
    public double? RefreshAhead { get; set; }

    /// <summary>Gets or sets how old a value may be and still be served, flagged stale, while the store fails.</summary>
    /// <value>Default 24 h. Range: zero or more.</value>
    public TimeSpan MaxStale { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the most entries the cache keeps.</summary>
    /// <value>Default 1024. Range: 1 to 1,000,000.</value>
    public int MaxEntries { get; set; } = 1024;

    /// <summary>Gets or sets how long a "not found" answer is remembered.</summary>
    /// <value>Default 5 s. Range: zero (off) or more.</value>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the longest one store call may take.</summary>
    /// <value>Default 15 s. Range: greater than zero.</value>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets the secrets the application cannot work without: warmed before the host starts, and the health check is Unhealthy while one cannot be read.</summary>
    /// <value>Default empty.</value>
    public IList<string> RequiredSecrets { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether the required secrets are read (in batches) before the host reports started.</summary>
    /// <value>Default true.</value>
    public bool WarmOnStart { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the static <see cref="Secrets"/> facade uses the host's cache.</summary>
    /// <value>Default true.</value>
    public bool UseStaticFacade { get; set; } = true;

    /// <summary>Gets or sets how long the health check stays Degraded after the cache last served a stale value.</summary>
    /// <value>Default 1 minute. Range: zero (only while entries are stale) or more.</value>
    public TimeSpan StaleHealthWindow { get; set; } = SecretaryHostingDefaults.StaleHealthWindow;

    /// <summary>The cache settings these options describe.</summary>
    public SecretCacheOptions ToCacheOptions() => new()
    {
        Name = CacheName,
        DefaultTtl = DefaultTtl,
        SecretTtls = new Dictionary<string, TimeSpan>(SecretTtls ?? new Dictionary<string, TimeSpan>(), StringComparer.Ordinal),
        RefreshAhead = RefreshAhead,
        MaxStale = MaxStale,
        MaxEntries = MaxEntries,
        NotFoundTtl = NotFoundTtl,
        StoreTimeout = StoreTimeout,
    };

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(ToCacheOptions().Validate());
        foreach (var spec in StoreSpecsOf(Store))
        {
            ValidateStore(problems, StoreKindOf(spec));
        }

        foreach (var id in RequiredSecrets ?? [])
        {
            if (!SecretIds.IsValid(id))
            {
                problems.Add($"RequiredSecrets has an invalid secret id '{id}' (1 to 2048 characters, no control characters).");
            }
        }

        if (StaleHealthWindow < TimeSpan.Zero)
        {
            problems.Add($"StaleHealthWindow must be zero or more (was {StaleHealthWindow}).");
        }

        return problems;
    }

    /// <summary>The specs of <paramref name="store"/>: one, or several joined by commas (<c>aws,ssm</c>).</summary>
    internal static string[] StoreSpecsOf(string? store) =>
        store is not null && store.Contains(',', StringComparison.Ordinal) ? store.Split(',', StringSplitOptions.TrimEntries) : [store ?? string.Empty];

    private void ValidateStore(List<string> problems, string kind)
    {
        switch (kind)
        {
            case "":
                problems.Add("Store must name a store kind: file, aws, ssm or agent (or several joined by commas, e.g. aws,ssm).");
                break;
            case "file":
                if (string.IsNullOrWhiteSpace(File?.Path))
                {
                    problems.Add("File:Path is required with the file store.");
                }

                break;
            case "aws":
                try
                {
                    (Aws ?? new SecretaryAwsOptions()).ToStoreOptions().Validate();
                }
                catch (ArgumentException ex)
                {
                    problems.Add("Aws: " + ex.Message);
                }

                break;
            case "agent":
                problems.AddRange((Agent ?? new AgentSecretStoreOptions()).Validate());
                break;
            case "ssm":
                break;
            default:
                if (!SecretStores.Kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"Store '{kind}' is not a known store kind. Known: file, aws, agent{string.Concat(SecretStores.Kinds.Where(k => k is not ("file" or "aws" or "agent")).Select(k => ", " + k))}.");
                }

                break;
        }
    }

    internal static string StoreKindOf(string? store)
    {
        if (string.IsNullOrWhiteSpace(store))
        {
            return string.Empty;
        }

        var colon = store.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? store : store[..colon]).Trim().ToLowerInvariant();
    }
}
