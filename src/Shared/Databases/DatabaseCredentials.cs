using System.Globalization;
using System.Text.Json;

namespace Secretary.Databases;

/// <summary>
/// A login read from a secret in the RDS format (<c>engine</c>, <c>host</c>, <c>port</c>, <c>username</c>,
/// <c>password</c>, <c>dbname</c>): immutable, one per secret version. <see cref="ToString"/> never shows the password.
/// </summary>
internal sealed class DatabaseCredentials
{
    private DatabaseCredentials(string secretName, string versionId, string currentVersionId, bool fromPending, string username, string password, string? host, int? port, string? database)
    {
        SecretName = secretName;
        VersionId = versionId;
        CurrentVersionId = currentVersionId;
        FromPending = fromPending;
        Username = username;
        Password = password;
        Host = host;
        Port = port;
        Database = database;
    }

    public string SecretName { get; }

    /// <summary>The version these credentials were read from.</summary>
    public string VersionId { get; }

    /// <summary>The AWSCURRENT version that was cached when these credentials were taken (equal to <see cref="VersionId"/> unless <see cref="FromPending"/>).</summary>
    public string CurrentVersionId { get; }

    /// <summary>True when the credentials come from AWSPENDING: a rotation set the new password before moving AWSCURRENT.</summary>
    public bool FromPending { get; }

    public string Username { get; }

    public string Password { get; }

    public string? Host { get; }

    public int? Port { get; }

    public string? Database { get; }

    /// <summary>True when both log in the same way (same server, database, user and password), whatever their versions.</summary>
    public bool SameLogin(DatabaseCredentials other) =>
        Username == other.Username && Password == other.Password && Host == other.Host && Port == other.Port && Database == other.Database;

    /// <summary>True when both connect to the same server and database as the same user (the password may differ).</summary>
    public bool SameEndpoint(DatabaseCredentials other) =>
        Username == other.Username && Host == other.Host && Port == other.Port && Database == other.Database;

    /// <summary>Reads the RDS-format credentials of <paramref name="secret"/>.</summary>
    /// <exception cref="SecretFormatException">The secret is not a JSON object, or lacks a string <c>username</c> or <c>password</c>, or has a bad <c>port</c> (the message names the key, never a value).</exception>
    public static DatabaseCredentials FromSecret(Secret secret, string? currentVersionId = null, bool fromPending = false)
    {
        var root = secret.GetJson();
        var username = RequiredString(secret, root, "username");
        var password = RequiredString(secret, root, "password");
        var host = OptionalString(secret, root, "host");
        var database = OptionalString(secret, root, "dbname");
        int? port = null;
        if (root.TryGetProperty("port", out var portValue) && portValue.ValueKind != JsonValueKind.Null)
        {
            port = portValue.ValueKind switch
            {
                JsonValueKind.Number when portValue.TryGetInt32(out var number) && number is > 0 and < 65536 => number,
                JsonValueKind.String when int.TryParse(portValue.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65536 => number,
                _ => throw new SecretFormatException(secret.Name, $"The secret '{secret.Name}' has a 'port' that is not a port number (1 to 65535).", "port"),
            };
        }

        return new DatabaseCredentials(secret.Name, secret.VersionId, currentVersionId ?? secret.VersionId, fromPending, username, password, host, port, database);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Username}@{Host ?? "(host from the connection string)"}:{Port?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{Database ?? "-"} (version {VersionId}{(FromPending ? ", AWSPENDING" : string.Empty)})";

    private static string RequiredString(Secret secret, JsonElement root, string key) =>
        OptionalString(secret, root, key) is { Length: > 0 } value
            ? value
            : throw new SecretFormatException(secret.Name, $"The secret '{secret.Name}' has no '{key}': a database secret needs 'username' and 'password' (the RDS format).", key);

    private static string? OptionalString(Secret secret, JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new SecretFormatException(secret.Name, $"The secret '{secret.Name}' has a '{key}' that is not a string.", key);
    }
}
