using System.Text.RegularExpressions;
using Npgsql;
using Secretary.Testing;

namespace Secretary.Databases.Testing;

/// <summary>PostgreSQL (Debian's postgresql package): initdb in a temporary directory, SCRAM passwords over TCP on loopback.</summary>
public sealed partial class PostgresServer : DatabaseServer
{
    private readonly ServerProcess _process;

    private PostgresServer(string directory, int port, string adminPassword, ServerProcess process)
        : base(directory, port, adminPassword) => _process = process;

    public override string Engine => "postgres";

    public override string Output => _process.Output;

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = AdminUser,
        Password = AdminPassword,
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    [GeneratedRegex("database system is ready to accept connections")]
    private static partial Regex Ready();

    /// <summary>Starts a server; fails (never skips) when PostgreSQL is not installed (scripts/install-test-deps.sh installs it).</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin();
        var directory = await ServiceAccount.CreateDirectoryAsync("secretary-pg-");
        var port = ServiceAccount.FreePort();
        var passwordFile = Path.Combine(directory, "admin-password");
        var data = Path.Combine(directory, "data");
        var adminPassword = NewPassword();
        await ServiceAccount.WriteFileAsync(passwordFile, adminPassword);
        var (initdb, initdbArgs) = ServiceAccount.Wrap(Path.Combine(bin, "initdb"), "-D", data, "-U", AdminUser, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions");
        var init = await ProcessRunner.RunAsync(initdb, initdbArgs, timeout: TimeSpan.FromSeconds(120), workingDirectory: directory);
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed ({init.ExitCode}): {init.Stdout}{init.Stderr}");
        }

        var (postgres, postgresArgs) = ServiceAccount.Wrap(
            Path.Combine(bin, "postgres"), "-D", data, "-p", ServiceAccount.Text(port), "-k", directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300");
        var (process, _) = await ServerProcess.StartAsync(postgres, postgresArgs, Ready(), timeout: TimeSpan.FromSeconds(60), workingDirectory: directory);
        var server = new PostgresServer(directory, port, adminPassword, process);
        try
        {
            await server.ExecuteAsync($"CREATE DATABASE {AppDatabase}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override Task CreateUserAsync(string user, string password) =>
        ExecuteAsync($"CREATE ROLE \"{user}\" WITH LOGIN PASSWORD '{password}'; GRANT CONNECT ON DATABASE {AppDatabase} TO \"{user}\"");

    public override Task SetPasswordAsync(string user, string password) =>
        ExecuteAsync($"ALTER ROLE \"{user}\" WITH PASSWORD '{password}'");

    public override async Task<bool> CanLoginAsync(string user, string password)
    {
        var settings = new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = user, Password = password, Database = AppDatabase, Pooling = false };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return false;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        ServiceAccount.DeleteDirectory(Directory);
    }

    private static string FindBin()
    {
        var root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed: run scripts/install-test-deps.sh (apt-get install postgresql).");
    }
}
