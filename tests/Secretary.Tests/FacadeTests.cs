namespace Secretary.Tests;

[Collection(nameof(FacadeTests))]
public sealed class FacadeTests : IDisposable
{
    public void Dispose() => Secrets.Reset();

    [Fact]
    public async Task The_facade_serves_the_specifications_functions_over_the_cache_it_is_given()
    {
        using var f = new CacheFixture();
        f.Store.Set("surgicase/main", """{"COMPRESSION_MODE":"normal"}""");
        f.Store.Set("surgicase/ses_keys", """{"ses_default_from_email":"a@b.c"}""");
        Secrets.Use(f.Cache);

        Assert.Equal("normal", Secrets.GetValue("surgicase/main", "COMPRESSION_MODE"));
        Assert.Equal("a@b.c", await Secrets.GetValueAsync("surgicase/ses_keys", "ses_default_from_email"));
        Assert.Equal("dflt", Secrets.GetValueOrDefault("surgicase/main", "MISSING", "dflt"));
        Assert.Equal("surgicase/main", Secrets.Get("surgicase/main", TimeSpan.FromMinutes(10)).Name);
        Assert.Equal(2, Secrets.GetStats().CachedSecretsCount);
        Secrets.Clear("surgicase/main");
        Assert.Equal(1, Secrets.GetStats().CachedSecretsCount);
        Secrets.Clear();
        Assert.Equal(0, Secrets.GetStats().CachedSecretsCount);
        Assert.Equal(2, Secrets.Warm(["surgicase/main", "surgicase/ses_keys"]).Successful);
    }

    [Fact]
    public void The_facade_builds_its_cache_from_SECRETARY_STORE()
    {
        var previous = Environment.GetEnvironmentVariable("SECRETARY_STORE");
        try
        {
            Secrets.Reset();
            Environment.SetEnvironmentVariable("SECRETARY_STORE", "file:" + Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"));

            Assert.Equal("normal", Secrets.GetValue("surgicase/main", "COMPRESSION_MODE"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", previous);
        }
    }

    [Fact]
    public void Without_a_store_the_facade_says_what_to_set()
    {
        var previous = Environment.GetEnvironmentVariable("SECRETARY_STORE");
        try
        {
            Secrets.Reset();
            Environment.SetEnvironmentVariable("SECRETARY_STORE", null);

            var error = Assert.Throws<SecretParameterException>(() => Secrets.Get("x"));
            Assert.Contains("SECRETARY_STORE", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", previous);
        }
    }

    [Fact]
    public void Unknown_store_kinds_are_refused_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => SecretStores.Create("vault:x"));

        Assert.Contains("file", error.Message, StringComparison.Ordinal);
    }
}
