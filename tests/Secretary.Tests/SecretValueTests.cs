using Secretary.Internals;
using Secretary.Testing;

namespace Secretary.Tests;

public sealed class SecretValueTests
{
    private sealed record Db(string Username, string Password, int Port);

    [Fact]
    public async Task One_key_of_a_json_secret_is_read()
    {
        using var f = new CacheFixture();
        f.Store.Set("surgicase/ses_keys", """{"ses_default_from_email":"no-reply@example.com","n":5,"o":{"a":1},"nothing":null}""");

        Assert.Equal("no-reply@example.com", await f.Cache.GetValueAsync("surgicase/ses_keys", "ses_default_from_email"));
        Assert.Equal("5", await f.Cache.GetValueAsync("surgicase/ses_keys", "n"));
        Assert.Equal("""{"a":1}""", await f.Cache.GetValueAsync("surgicase/ses_keys", "o"));
        Assert.Equal("fallback", await f.Cache.GetValueOrDefaultAsync("surgicase/ses_keys", "nothing", "fallback"));
    }

    [Fact]
    public async Task A_missing_key_is_a_format_error_naming_the_key()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", """{"a":"1"}""");

        var error = await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetValueAsync("k", "b").AsTask());

        Assert.Equal("b", error.KeyPath);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData(Canary.BrokenJson)]
    public async Task Json_access_on_a_value_that_is_not_a_json_object_is_a_format_error(string value)
    {
        using var f = new CacheFixture();
        f.Store.Set("k", value);

        var error = await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetValueAsync("k", "password").AsTask());

        Assert.Equal(SecretErrorCategory.Format, error.Category);
        Canary.AssertAbsent([error.Message]);
    }

    [Fact]
    public void Json_is_parsed_once_per_version()
    {
        var secret = new Secret("k", "v1", """{"a":"1","b":"2"}""");
        var before = SecretJson.ParseCount;

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("1", secret.GetValue("a"));
            Assert.True(secret.TryGetJson(out _));
        }

        Assert.Equal(1, SecretJson.ParseCount - before);
    }

    [Fact]
    public async Task A_json_secret_binds_to_a_type()
    {
        using var f = new CacheFixture();
        f.Store.Set("db", """{"username":"app","password":"p","port":5432}""");

        var db = await f.Cache.GetAsync<Db>("db");

        Assert.Equal(new Db("app", "p", 5432), db);
    }

    [Fact]
    public async Task A_binding_failure_names_the_path_not_the_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("db", $$"""{"username":"app","password":"p","port":"{{Canary.Value}}"}""");

        var error = await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetAsync<Db>("db").AsTask());

        Assert.Contains("$.port", error.Message, StringComparison.Ordinal);
        Canary.AssertAbsent([error.Message, error.ToString()]);
    }

    [Fact]
    public async Task Binary_secrets_are_read_as_bytes()
    {
        using var f = new CacheFixture();
        f.Store.SetBinary("bin", [1, 2, 3]);

        var bytes = await f.Cache.GetBinaryAsync("bin");

        Assert.Equal(new byte[] { 1, 2, 3 }, bytes.ToArray());
        await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetStringAsync("bin").AsTask());
        await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetJsonAsync("bin").AsTask());
    }

    [Fact]
    public async Task Fallback_forms_return_the_fallback_for_any_secret_error()
    {
        using var f = new CacheFixture();
        f.Store.Set("plain", "text");

        Assert.Equal("fb", await f.Cache.GetStringOrDefaultAsync("missing", "fb"));
        Assert.Equal("fb", await f.Cache.GetValueOrDefaultAsync("plain", "key", "fb"));
        Assert.Equal(new Db("d", "d", 1), await f.Cache.GetOrDefaultAsync("missing", new Db("d", "d", 1)));
        Assert.Equal("text", f.Cache.GetStringOrDefault("plain", "fb"));
    }

    [Fact]
    public async Task Synchronous_forms_work_for_hits_and_misses()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", """{"a":"1"}""");

        Assert.Equal("1", f.Cache.GetValue("k", "a"));
        Assert.Equal("""{"a":"1"}""", f.Cache.GetString("k"));
        Assert.Equal("k", f.Cache.Get("k").Name);
        Assert.Equal(1, f.Cache.Warm(["k"]).Successful);
        await Task.CompletedTask;
    }

    [Fact]
    public void A_secret_never_shows_its_value()
    {
        var secret = new Secret("k", "v1", Canary.Value);

        Canary.AssertAbsent([secret.ToString()]);
    }

    [Fact]
    public void A_binary_value_is_copied_so_the_caller_cannot_change_it()
    {
        var buffer = new byte[] { 1, 2, 3 };
        var secret = new Secret("k", "v1", secretBinary: buffer);

        buffer[0] = 9;

        Assert.Equal(1, secret.SecretBinary!.Value.Span[0]);
    }

    [Fact]
    public void A_secret_has_a_string_or_bytes_not_both()
    {
        Assert.Throws<ArgumentException>(() => new Secret("k", "v", "s", new byte[] { 1 }));
        Assert.Throws<ArgumentException>(() => new Secret("k", "v"));
    }
}
