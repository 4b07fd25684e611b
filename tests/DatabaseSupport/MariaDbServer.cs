using System.Text.RegularExpressions;
using MySqlConnector;
using Secretary.Testing;

namespace Secretary.Databases.Testing;

/// <summary>MariaDB (Debian's mariadb-server package): mariadb-install-db in a temporary directory, TCP on loopback, no name resolution.</summary>
public sealed partial class MariaDbServer : DatabaseServer
{
    private readonly ServerProcess _process;

    private MariaDbServer(string directory, int port, ServerProcess process)
        : base(directory, port, NewPassword()) => _process = process;

    public override string Engine => "mariadb";

    public override string Output => _process.Output;

    public string AdminConnectionString => new MySqlConnectionStringBuilder
    {
        Server = Host,
        Port = (uint)Port,
        UserID = AdminUser,
        Password = AdminPassword,
        Pooling = false,
    }.ConnectionString;

    [GeneratedRegex("ready for connections")]
    private static partial Regex Ready();

    /// <summary>Starts a server; fails (never skips) when MariaDB is not installed (scripts/install-test-deps.sh installs it).</summary>
    public static async Task<MariaDbServer> StartAsync()
    {
        if (!File.Exists("/usr/sbin/mariadbd") || !File.Exists("/usr/bin/mariadb-install-db"))
        {
            throw new InvalidOperationException("MariaDB is not installed: run scripts/install-test-deps.sh (apt-get install mariadb-server).");
        }

        var directory = await ServiceAccount.CreateDirectoryAsync("secretary-mariadb-");
        var data = Path.Combine(directory, "data");
        var (install, installArgs) = ServiceAccount.Wrap("/usr/bin/mariadb-install-db", "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve");
        var installed = await ProcessRunner.RunAsync(install, installArgs, timeout: TimeSpan.FromSeconds(180), workingDirectory: directory);
        if (installed.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-install-db failed ({installed.ExitCode}): {installed.Stdout}{installed.Stderr}");
        }

        var port = ServiceAccount.FreePort();
        var (mariadbd, args) = ServiceAccount.Wrap(
            "/usr/sbin/mariadbd", "--no-defaults", $"--datadir={data}", $"--socket={Path.Combine(directory, "socket")}",
            $"--pid-file={Path.Combine(directory, "pid")}", $"--port={ServiceAccount.Text(port)}", "--bind-address=127.0.0.1",
            "--skip-name-resolve", "--innodb-flush-log-at-trx-commit=0", "--max-connections=300", "--skip-log-error");
        var (process, _) = await ServerProcess.StartAsync(mariadbd, args, Ready(), timeout: TimeSpan.FromSeconds(60), workingDirectory: directory);
        var server = new MariaDbServer(directory, port, process);
        try
        {
            // root@127.0.0.1 has no password right after mariadb-install-db; make a named administrator and lock root.
            var root = new MySqlConnectionStringBuilder { Server = server.Host, Port = (uint)port, UserID = "root", Pooling = false }.ConnectionString;
            await ExecuteAsync(root, $"CREATE USER '{AdminUser}'@'%' IDENTIFIED BY '{server.AdminPassword}'; GRANT ALL ON *.* TO '{AdminUser}'@'%' WITH GRANT OPTION; CREATE DATABASE {AppDatabase}; DROP USER IF EXISTS ''@'localhost'; ALTER USER 'root'@'127.0.0.1' ACCOUNT LOCK");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public Task ExecuteAsync(string sql) => ExecuteAsync(AdminConnectionString, sql);

    public override Task CreateUserAsync(string user, string password) =>
        ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; GRANT SELECT ON {AppDatabase}.* TO '{user}'@'%'");

    public override Task SetPasswordAsync(string user, string password) =>
        ExecuteAsync($"ALTER USER '{user}'@'%' IDENTIFIED BY '{password}'");

    public override async Task<bool> CanLoginAsync(string user, string password)
    {
        var settings = new MySqlConnectionStringBuilder { Server = Host, Port = (uint)Port, UserID = user, Password = password, Database = AppDatabase, Pooling = false };
        await using var connection = new MySqlConnection(settings.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return true;
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.AccessDenied)
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

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
