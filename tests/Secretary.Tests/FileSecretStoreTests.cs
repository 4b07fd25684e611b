namespace Secretary.Tests;

public sealed class FileSecretStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secretary-file-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text, string name = "secrets.json")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Strings_and_objects_are_served_with_stable_versions()
    {
        var store = new FileSecretStore(new FileSecretStoreOptions { Path = Write("""{"a":"text","b":{"k":"v","n":1}}"""), EnvironmentName = "Development" });

        var a = await store.GetSecretAsync(new SecretRequest("a"));
        var b = await store.GetSecretAsync(new SecretRequest("b"));
        var again = await store.GetSecretAsync(new SecretRequest("b"));

        Assert.Equal("text", a.SecretString);
        Assert.Equal("""{"k":"v","n":1}""", b.SecretString);
        Assert.Equal(b.VersionId, again.VersionId);
        Assert.Contains(SecretRequest.CurrentStage, b.VersionStages);
    }

    [Fact]
    public async Task A_changed_file_is_reloaded_and_a_changed_value_gets_a_new_version()
    {
        var path = Write("""{"a":"one","b":"same"}""");
        var store = new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Development" });
        var a1 = await store.GetSecretAsync(new SecretRequest("a"));
        var b1 = await store.GetSecretAsync(new SecretRequest("b"));

        File.WriteAllText(path, """{"a":"two!","b":"same"}""");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(2));
        var a2 = await store.GetSecretAsync(new SecretRequest("a"));
        var b2 = await store.GetSecretAsync(new SecretRequest("b"));
        var previous = await store.GetSecretAsync(new SecretRequest("a", VersionStage: SecretRequest.PreviousStage));

        Assert.Equal("two!", a2.SecretString);
        Assert.NotEqual(a1.VersionId, a2.VersionId);
        Assert.Equal(b1.VersionId, b2.VersionId);
        Assert.Equal("one", previous.SecretString);
        Assert.Equal(a1.VersionId, previous.VersionId);
    }

    [Fact]
    public void A_malformed_file_is_an_error_naming_the_file_and_position()
    {
        var path = Write("{\n  \"a\": \"x\",\n  \"b\": oops\n}");

        var error = Assert.Throws<SecretFormatException>(() => new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Development" }));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_broken_after_start_keeps_the_last_good_contents_as_a_transient_error()
    {
        var path = Write("""{"a":"one"}""");
        var store = new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Development" });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var cache = new SecretCache(store, timeProvider: time);
        await cache.GetAsync("a");

        File.WriteAllText(path, """{"a": """);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(2));

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("a")));
        Assert.Contains("line", error.Message, StringComparison.Ordinal);

        // Through the cache: past the TTL the refresh fails transiently, so the last good value is served, flagged stale.
        time.Advance(TimeSpan.FromSeconds(301));
        var lookup = await cache.LookupAsync("a");
        Assert.True(lookup.IsStale);
        Assert.Equal("one", lookup.Secret.SecretString);

        // Mended: the next refresh serves the new contents.
        File.WriteAllText(path, """{"a":"two"}""");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(4));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("two", (await cache.RefreshAsync("a")).SecretString);
        Assert.False((await cache.LookupAsync("a")).IsStale);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("""{"a": 5}""")]
    [InlineData("""{"a": [1]}""")]
    public void Values_must_be_strings_or_objects(string text)
    {
        Assert.Throws<SecretFormatException>(() => new FileSecretStore(new FileSecretStoreOptions { Path = Write(text), EnvironmentName = "Development" }));
    }

    [Fact]
    public void It_refuses_to_run_in_production_unless_allowed()
    {
        var path = Write("""{"a":"x"}""");

        var error = Assert.Throws<InvalidOperationException>(() => new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Production" }));
        Assert.Contains("Production", error.Message, StringComparison.Ordinal);

        var allowed = new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Production", AllowInProduction = true });
        Assert.Single(allowed.Names);
    }

    [Fact]
    public async Task Unknown_names_and_versions_are_not_found()
    {
        var store = new FileSecretStore(new FileSecretStoreOptions { Path = Write("""{"a":"x"}"""), EnvironmentName = "Development" });

        await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("b")));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("a", VersionStage: "AWSPENDING")));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => store.GetSecretAsync(new SecretRequest("a", VersionId: "nope")));
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        Assert.Throws<FileNotFoundException>(() => new FileSecretStore(Path.Combine(_dir, "none.json")));
    }

    [Fact]
    public async Task The_shipped_dev_secrets_file_has_the_specifications_secrets()
    {
        var path = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json");
        using var cache = new SecretCache(new FileSecretStore(new FileSecretStoreOptions { Path = path, EnvironmentName = "Development" }));

        Assert.Equal("normal", await cache.GetValueAsync("surgicase/main", "COMPRESSION_MODE"));
        Assert.Contains("@", await cache.GetValueAsync("surgicase/ses_keys", "ses_default_from_email"), StringComparison.Ordinal);
        Assert.NotEmpty(await cache.GetValueAsync("surgicase/rds-credentials", "password"));
    }
}
