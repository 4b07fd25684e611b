using Secretary.Internals;

namespace Secretary;

/// <summary>Settings of a <see cref="SecretCache"/>. Copied when the cache is built; later changes have no effect.</summary>
public sealed class SecretCacheOptions
{
    /// <summary>A name for logs and metrics. <value>Default: <c>default</c>.</value></summary>
    public string Name { get; set; } = SecretCacheDefaults.Name;

    /// <summary>How long a value is fresh. <value>Default: 300 s. Range: greater than zero, at most 365 days.</value></summary>
    public TimeSpan DefaultTtl { get; set; } = SecretCacheDefaults.Ttl;

    /// <summary>Per-secret TTLs by secret id; they override <see cref="DefaultTtl"/>.</summary>
    public IDictionary<string, TimeSpan> SecretTtls { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>
    /// TTLs by store kind (<c>ssm</c>, <c>aws</c>): for the ids a composite store reads from that member (<c>KIND:ID</c>),
    /// or for every id when the cache's store is of that kind. <see cref="SecretTtls"/> overrides them; they override
    /// <see cref="DefaultTtl"/>. The Lambda extension's <c>SECRETS_MANAGER_TTL</c> and <c>SSM_PARAMETER_STORE_TTL</c>.
    /// </summary>
    public IDictionary<string, TimeSpan> StoreKindTtls { get; set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary>
    /// Fraction of the TTL after which the first reader starts one background refresh and still
    /// gets the current value at once. When null, the lead is derived from the store's observed
    /// latency: a value is refreshed at TTL − max(1 s, 10 × the store's p99 latency), the lead
    /// capped at a fifth of the TTL — for a 300 s TTL about 12 store calls an hour, none waited for.
    /// <value>Default: null (derived). Range: greater than 0, at most 1 (1 turns refresh-ahead off).</value>
    /// </summary>
    public double? RefreshAhead { get; set; }

    /// <summary>How old a value may be and still be served, flagged stale, while the store fails transiently. <value>Default: 24 h. Range: zero or more.</value></summary>
    public TimeSpan MaxStale { get; set; } = SecretCacheDefaults.MaxStale;

    /// <summary>The most entries (secret, stage or version) kept; least recently used go first. <value>Default: 1024. Range: 1 to 1,000,000.</value></summary>
    public int MaxEntries { get; set; } = SecretCacheDefaults.MaxEntries;

    /// <summary>
    /// The most entries kept that hold no value: remembered errors (not found, access denied) and
    /// failed first reads. A budget of their own, so a flood of unknown ids never displaces a value.
    /// <value>Default: 256. Range: 1 to 1,000,000.</value>
    /// </summary>
    public int MaxNegativeEntries { get; set; } = SecretCacheDefaults.MaxNegativeEntries;

    /// <summary>
    /// While some secret fails transiently and the store has answered nothing for this long, the
    /// store is taken to be down: one probe call is made per interval, and the first answer
    /// refreshes every failing secret at once (batched). Zero turns probing off.
    /// <value>Default: 10 s. Range: zero, or 1 s to 1 h.</value>
    /// </summary>
    public TimeSpan RecoveryProbeInterval { get; set; } = SecretCacheDefaults.RecoveryProbeInterval;

    /// <summary>How long a "not found" answer is remembered. <value>Default: 5 s. Range: zero (off) or more.</value></summary>
    public TimeSpan NotFoundTtl { get; set; } = SecretCacheDefaults.NotFoundTtl;

    /// <summary>The first retry delay after a transient failure; it doubles per failure. <value>Default: 1 s. Range: greater than zero.</value></summary>
    public TimeSpan BackoffBase { get; set; } = SecretCacheDefaults.BackoffBase;

    /// <summary>The longest retry delay. <value>Default: 5 min. Range: at least <see cref="BackoffBase"/>.</value></summary>
    public TimeSpan BackoffMax { get; set; } = SecretCacheDefaults.BackoffMax;

    /// <summary>Random spread of each retry delay, as a fraction of it (±). <value>Default: 0.2. Range: 0 to 0.5.</value></summary>
    public double BackoffJitter { get; set; } = SecretCacheDefaults.BackoffJitter;

    /// <summary>The longest one store call may take before waiters are released with a timeout error. <value>Default: 15 s. Range: greater than zero, at most 24 h.</value></summary>
    public TimeSpan StoreTimeout { get; set; } = SecretCacheDefaults.StoreTimeout;

    /// <summary>The shortest interval between two explicit refreshes of one secret (<see cref="ISecretCache.RefreshAsync"/>). <value>Default: 1 s. Range: zero or more.</value></summary>
    public TimeSpan MinRefreshInterval { get; set; } = SecretCacheDefaults.MinRefreshInterval;

    /// <summary>How many batch calls warm-up makes at once (8 x 20 ids: 160 secrets in one round trip's time). <value>Default: 8. Range: 1 to 64.</value></summary>
    public int WarmConcurrency { get; set; } = SecretCacheDefaults.WarmConcurrency;

    /// <summary>
    /// Adds the secret's id (<c>secretary.secret.name</c>) to the store-call spans of the <c>Secretary</c>
    /// activity source. Off by default: names can say more than an operator's trace store should hold.
    /// Values are never traced. <value>Default: false.</value>
    /// </summary>
    public bool TraceSecretNames { get; set; }

    /// <summary>Every problem with these settings, one sentence each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must not be empty.");
        }

        CheckTtl(problems, nameof(DefaultTtl), DefaultTtl);
        foreach (var (id, ttl) in SecretTtls ?? new Dictionary<string, TimeSpan>())
        {
            if (!SecretIds.IsValid(id))
            {
                problems.Add($"SecretTtls has an invalid secret id (1 to {SecretRequest.MaxSecretIdLength} characters).");
            }

            CheckTtl(problems, $"SecretTtls[{id}]", ttl);
        }

        foreach (var (kind, ttl) in StoreKindTtls ?? new Dictionary<string, TimeSpan>())
        {
            CheckTtl(problems, $"StoreKindTtls[{kind}]", ttl);
        }

        if (RefreshAhead is { } ahead && (double.IsNaN(ahead) || ahead <= 0 || ahead > 1))
        {
            problems.Add($"RefreshAhead must be null (derived from the store's latency), or greater than 0 and at most 1 (was {ahead}).");
        }

        if (MaxStale < TimeSpan.Zero)
        {
            problems.Add($"MaxStale must be zero or more (was {MaxStale}).");
        }

        if (MaxEntries is < 1 or > 1_000_000)
        {
            problems.Add($"MaxEntries must be 1 to 1,000,000 (was {MaxEntries}).");
        }

        if (MaxNegativeEntries is < 1 or > 1_000_000)
        {
            problems.Add($"MaxNegativeEntries must be 1 to 1,000,000 (was {MaxNegativeEntries}).");
        }

        if (RecoveryProbeInterval != TimeSpan.Zero && (RecoveryProbeInterval < TimeSpan.FromSeconds(1) || RecoveryProbeInterval > TimeSpan.FromHours(1)))
        {
            problems.Add($"RecoveryProbeInterval must be zero (off) or 1 s to 1 h (was {RecoveryProbeInterval}).");
        }

        if (NotFoundTtl < TimeSpan.Zero)
        {
            problems.Add($"NotFoundTtl must be zero or more (was {NotFoundTtl}).");
        }

        if (BackoffBase <= TimeSpan.Zero)
        {
            problems.Add($"BackoffBase must be greater than zero (was {BackoffBase}).");
        }

        if (BackoffMax < BackoffBase)
        {
            problems.Add($"BackoffMax must be at least BackoffBase (was {BackoffMax}).");
        }

        if (double.IsNaN(BackoffJitter) || BackoffJitter is < 0 or > 0.5)
        {
            problems.Add($"BackoffJitter must be 0 to 0.5 (was {BackoffJitter}).");
        }

        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout > SecretCacheDefaults.MaxStoreTimeout)
        {
            problems.Add($"StoreTimeout must be greater than zero and at most 24 h (was {StoreTimeout}).");
        }

        if (MinRefreshInterval < TimeSpan.Zero)
        {
            problems.Add($"MinRefreshInterval must be zero or more (was {MinRefreshInterval}).");
        }

        if (WarmConcurrency is < 1 or > 64)
        {
            problems.Add($"WarmConcurrency must be 1 to 64 (was {WarmConcurrency}).");
        }

        return problems;
    }

    /// <summary>A copy, so the cache is immune to later changes by the caller.</summary>
    public SecretCacheOptions Duplicate() => new()
    {
        Name = Name,
        DefaultTtl = DefaultTtl,
        SecretTtls = new Dictionary<string, TimeSpan>(SecretTtls ?? new Dictionary<string, TimeSpan>(), StringComparer.Ordinal),
        StoreKindTtls = new Dictionary<string, TimeSpan>(StoreKindTtls ?? new Dictionary<string, TimeSpan>(), StringComparer.Ordinal),
        RefreshAhead = RefreshAhead,
        MaxStale = MaxStale,
        MaxEntries = MaxEntries,
        MaxNegativeEntries = MaxNegativeEntries,
        RecoveryProbeInterval = RecoveryProbeInterval,
        NotFoundTtl = NotFoundTtl,
        BackoffBase = BackoffBase,
        BackoffMax = BackoffMax,
        BackoffJitter = BackoffJitter,
        StoreTimeout = StoreTimeout,
        MinRefreshInterval = MinRefreshInterval,
        WarmConcurrency = WarmConcurrency,
        TraceSecretNames = TraceSecretNames,
    };

    internal static void CheckTtl(List<string> problems, string name, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero || ttl > SecretCacheDefaults.MaxTtl)
        {
            problems.Add($"{name} must be greater than zero and at most 365 days (was {ttl}).");
        }
    }
}
