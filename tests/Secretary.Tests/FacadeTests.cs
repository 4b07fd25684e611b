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
    public void A_kind_another_package_provides_says_how_to_register_it()
    {
        var error = Assert.Throws<ArgumentException>(() => SecretStores.Create("aws:eu-west-1"));

        Assert.Contains("AwsSecretStores.Register()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_store_kinds_are_refused_listing_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => SecretStores.Create("vault:x"));

        Assert.Contains("file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file:")]
    [InlineData("file:/nonexistent/secretary/dev-secrets.json")]
    [InlineData("bogus")]
    [InlineData(":")]
    public void A_malformed_SECRETARY_STORE_is_one_typed_error_and_the_fallback_forms_fall_back(string spec)
    {
        var previous = Environment.GetEnvironmentVariable("SECRETARY_STORE");
        try
        {
            Secrets.Reset();
            Environment.SetEnvironmentVariable("SECRETARY_STORE", spec);

            var error = Assert.Throws<SecretParameterException>(() => Secrets.Get("x"));
            Assert.Contains("SECRETARY_STORE", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
            Assert.Equal("fallback", Secrets.GetValueOrDefault("x", "k", "fallback"));
            Assert.Throws<SecretParameterException>(() => Secrets.GetStats());
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", previous);
        }
    }

    [Fact]
    public void A_configuration_error_is_remembered_until_reset()
    {
        var previous = Environment.GetEnvironmentVariable("SECRETARY_STORE");
        var path = Path.Combine(Path.GetTempPath(), $"secretary-facade-{Guid.NewGuid():N}.json");
        try
        {
            Secrets.Reset();
            Environment.SetEnvironmentVariable("SECRETARY_STORE", "file:" + path);
            Assert.Throws<SecretParameterException>(() => Secrets.Get("k"));

            File.WriteAllText(path, """{"k":"v"}""");
            Assert.Throws<SecretParameterException>(() => Secrets.Get("k")); // remembered: not retried on every call

            Secrets.Reset();
            Assert.Equal("v", Secrets.Get("k").SecretString);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", previous);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Use_wins_over_a_default_being_built_at_the_same_moment()
    {
        var previous = Environment.GetEnvironmentVariable("SECRETARY_STORE");
        try
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", "file:" + Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"));
            for (var round = 0; round < 200; round++)
            {
                Secrets.Reset();
                using var f = new CacheFixture();
                using var start = new Barrier(2);
                var reader = Task.Run(() =>
                {
                    start.SignalAndWait();
                    _ = Secrets.Cache;
                });
                var host = Task.Run(() =>
                {
                    start.SignalAndWait();
                    Secrets.Use(f.Cache);
                });
                await Task.WhenAll(reader, host).WaitAsync(TimeSpan.FromSeconds(30));

                Assert.Same(f.Cache, Secrets.Cache);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("SECRETARY_STORE", previous);
        }
    }
}
