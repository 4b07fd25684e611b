using Secretary.Databases;

namespace Secretary.Npgsql.Tests;

/// <summary>Reading the RDS secret format: what is taken, and typed errors that name the key, never a value.</summary>
public sealed class DatabaseCredentialsTests
{
    [Fact]
    public void Reads_user_password_host_port_and_database()
    {
        var credentials = DatabaseCredentials.FromSecret(new Secret("db/app", "v1", """{"engine":"postgres","host":"db.internal","port":"6432","username":"app","password":"CANARY-b7d1e9f04c2a4f0e","dbname":"appdb","masterarn":"arn:x"}"""));

        Assert.Equal(("app", Canary.Value, "db.internal", 6432, "appdb", "v1", false), (credentials.Username, credentials.Password, credentials.Host, credentials.Port, credentials.Database, credentials.VersionId, credentials.FromPending));
        Canary.AssertAbsent([credentials.ToString()]);
    }

    [Fact]
    public void Host_port_and_database_are_optional()
    {
        var credentials = DatabaseCredentials.FromSecret(new Secret("db/app", "v1", """{"username":"app","password":"p","port":null}"""));

        Assert.Equal((null, null, null), (credentials.Host, credentials.Port, credentials.Database));
    }

    [Theory]
    [InlineData("""{"password":"CANARY-b7d1e9f04c2a4f0e"}""", "username")]
    [InlineData("""{"username":"app","password":""}""", "password")]
    [InlineData("""{"username":"app","password":"CANARY-b7d1e9f04c2a4f0e","port":70000}""", "port")]
    [InlineData("""{"username":"app","password":"CANARY-b7d1e9f04c2a4f0e","port":"CANARY-b7d1e9f04c2a4f0e"}""", "port")]
    [InlineData("""{"username":"CANARY-b7d1e9f04c2a4f0e","password":{"v":"CANARY-b7d1e9f04c2a4f0e"}}""", "password")]
    [InlineData("""{"username":"app","password":"CANARY-b7d1e9f04c2a4f0e","host":5432}""", "host")]
    public void A_malformed_secret_is_a_format_error_naming_the_key(string json, string key)
    {
        var error = Assert.Throws<SecretFormatException>(() => DatabaseCredentials.FromSecret(new Secret("db/app", "v1", json)));

        Assert.Equal(key, error.KeyPath);
        Canary.AssertAbsent([error.ToString()]);
    }

    [Fact]
    public void A_secret_that_is_not_a_json_object_is_a_format_error()
    {
        var error = Assert.Throws<SecretFormatException>(() => DatabaseCredentials.FromSecret(new Secret("db/app", "v1", Canary.Value)));

        Canary.AssertAbsent([error.ToString()]);
    }
}
