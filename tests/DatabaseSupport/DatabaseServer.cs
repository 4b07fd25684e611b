using System.Security.Cryptography;

namespace Secretary.Databases.Testing;

/// <summary>A real database server started for tests on loopback, in a temporary directory, as <see cref="ServiceAccount"/>.</summary>
public abstract class DatabaseServer : IAsyncDisposable
{
    public const string AppDatabase = "appdb";
    public const string AdminUser = "secretary_admin";

    protected DatabaseServer(string directory, int port, string adminPassword)
    {
        Directory = directory;
        Port = port;
        AdminPassword = adminPassword;
    }

    /// <summary>The RDS <c>engine</c> value: postgres or mariadb.</summary>
    public abstract string Engine { get; }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string Directory { get; }

    public string AdminPassword { get; }

    /// <summary>Everything the server wrote.</summary>
    public abstract string Output { get; }

    public static string NewPassword() => "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>Creates a login user that may read the app database.</summary>
    public abstract Task CreateUserAsync(string user, string password);

    /// <summary>Sets a user's password as the administrator (what a rotation's setSecret does).</summary>
    public abstract Task SetPasswordAsync(string user, string password);

    /// <summary>True when the server accepts the login (a fresh, unpooled connection).</summary>
    public abstract Task<bool> CanLoginAsync(string user, string password);

    /// <summary>The RDS-format secret value for a user of the app database.</summary>
    public string SecretJson(string user, string password, string? masterArn = null)
    {
        var value = new System.Text.Json.Nodes.JsonObject
        {
            ["engine"] = Engine,
            ["host"] = Host,
            ["port"] = Port,
            ["username"] = user,
            ["password"] = password,
            ["dbname"] = AppDatabase,
        };
        if (masterArn is not null)
        {
            value["masterarn"] = masterArn;
        }

        return value.ToJsonString();
    }

    public abstract ValueTask DisposeAsync();
}
