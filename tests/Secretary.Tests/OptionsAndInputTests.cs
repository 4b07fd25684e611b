namespace Secretary.Tests;

public sealed class OptionsAndInputTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new SecretCacheOptions();

        Assert.Equal(TimeSpan.FromSeconds(300), options.DefaultTtl);
        Assert.Null(options.RefreshAhead); // derived from the store's latency
        Assert.Equal(TimeSpan.FromHours(24), options.MaxStale);
        Assert.Equal(1024, options.MaxEntries);
        Assert.Equal(256, options.MaxNegativeEntries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RecoveryProbeInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.NotFoundTtl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BackoffBase);
        Assert.Equal(TimeSpan.FromMinutes(5), options.BackoffMax);
        Assert.Equal(0.2, options.BackoffJitter);
        Assert.Equal(TimeSpan.FromSeconds(15), options.StoreTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.MinRefreshInterval);
        Assert.Equal(8, options.WarmConcurrency);
        Assert.Equal("default", options.Name);
        Assert.Empty(options.Validate());
    }

    public static TheoryData<Action<SecretCacheOptions>, string> InvalidOptions => new()
    {
        { o => o.DefaultTtl = TimeSpan.Zero, "DefaultTtl" },
        { o => o.DefaultTtl = TimeSpan.FromSeconds(-1), "DefaultTtl" },
        { o => o.RefreshAhead = 0, "RefreshAhead" },
        { o => o.RefreshAhead = 1.5, "RefreshAhead" },
        { o => o.RefreshAhead = double.NaN, "RefreshAhead" },
        { o => o.MaxStale = TimeSpan.FromSeconds(-1), "MaxStale" },
        { o => o.MaxEntries = 0, "MaxEntries" },
        { o => o.NotFoundTtl = TimeSpan.FromSeconds(-1), "NotFoundTtl" },
        { o => o.BackoffBase = TimeSpan.Zero, "BackoffBase" },
        { o => o.BackoffMax = TimeSpan.FromMilliseconds(10), "BackoffMax" },
        { o => o.BackoffJitter = 0.9, "BackoffJitter" },
        { o => o.StoreTimeout = TimeSpan.Zero, "StoreTimeout" },
        { o => o.StoreTimeout = TimeSpan.FromDays(50), "StoreTimeout" },
        { o => o.MaxNegativeEntries = 0, "MaxNegativeEntries" },
        { o => o.RecoveryProbeInterval = TimeSpan.FromMilliseconds(10), "RecoveryProbeInterval" },
        { o => o.WarmConcurrency = 0, "WarmConcurrency" },
        { o => o.SecretTtls["x"] = TimeSpan.Zero, "SecretTtls[x]" },
        { o => o.Name = " ", "Name" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_refused_naming_the_setting(Action<SecretCacheOptions> configure, string setting)
    {
        var options = new SecretCacheOptions();
        configure(options);

        var error = Assert.Throws<ArgumentException>(() => new SecretCache(new Testing.FakeSecretStore(), options));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_error()
    {
        var options = new SecretCacheOptions { DefaultTtl = TimeSpan.Zero, MaxEntries = -1, RefreshAhead = 7 };

        var error = Assert.Throws<ArgumentException>(() => new SecretCache(new Testing.FakeSecretStore(), options));

        Assert.Contains("DefaultTtl", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxEntries", error.Message, StringComparison.Ordinal);
        Assert.Contains("RefreshAhead", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_are_copied_so_later_changes_have_no_effect()
    {
        var options = new SecretCacheOptions { DefaultTtl = TimeSpan.FromSeconds(10) };
        using var f = new CacheFixture();
        using var cache = new SecretCache(f.Store, options, f.Time);
        options.DefaultTtl = TimeSpan.FromHours(1);
        f.Store.Set("k", "v1");
        await cache.GetAsync("k");
        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal("v2", (await cache.GetAsync("k")).SecretString);
    }

    public static TheoryData<string?> BadIds => new() { null, string.Empty, new string('a', 2049), "bad\nname" };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Malformed_ids_are_argument_errors(string? id)
    {
        using var f = new CacheFixture();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Cache.GetAsync(id!).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Cache.RefreshAsync(id!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Cache.WarmAsync([id!]));
        Assert.Equal(0, f.Store.Calls);
    }

    [Fact]
    public async Task An_id_of_exactly_2048_characters_is_accepted()
    {
        using var f = new CacheFixture();
        var id = new string('a', 2048);
        f.Store.Set(id, "v");

        Assert.Equal("v", (await f.Cache.GetAsync(id)).SecretString);
    }

    public static TheoryData<SecretReadOptions> BadReadOptions => new()
    {
        new SecretReadOptions { Ttl = TimeSpan.Zero },
        new SecretReadOptions { Ttl = TimeSpan.FromSeconds(-5) },
        new SecretReadOptions { RefreshAhead = 0 },
        new SecretReadOptions { RefreshAhead = 2 },
        new SecretReadOptions { MaxStale = TimeSpan.FromSeconds(-1) },
        new SecretReadOptions { VersionStage = string.Empty },
        new SecretReadOptions { VersionId = new string('x', 65) },
    };

    [Theory]
    [MemberData(nameof(BadReadOptions))]
    public async Task Bad_read_options_are_argument_errors(SecretReadOptions options)
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => f.Cache.GetAsync("k", options).AsTask());
        Assert.Equal(0, f.Store.Calls);
    }

    [Fact]
    public async Task Bad_warm_ttls_are_argument_errors()
    {
        using var f = new CacheFixture();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => f.Cache.WarmAsync(["k"], new Dictionary<string, TimeSpan> { ["k"] = TimeSpan.Zero }));
    }
}
