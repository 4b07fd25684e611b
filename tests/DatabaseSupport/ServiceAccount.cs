using System.Globalization;

namespace Secretary.Databases.Testing;

/// <summary>
/// The unprivileged local user the database servers run as when the tests run as root (CI does): initdb and
/// mariadb-install-db refuse root, and a server under test should not have it. scripts/install-test-deps.sh creates it.
/// </summary>
public static class ServiceAccount
{
    public const string Name = "secretary-db";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The command line that runs <paramref name="fileName"/> as <see cref="Name"/> (as is when not root).</summary>
    public static (string FileName, string[] Arguments) Wrap(string fileName, params string[] arguments)
    {
        if (!IsRoot)
        {
            return (fileName, arguments);
        }

        EnsureExists();
        return ("setpriv", [$"--reuid={Name}", $"--regid={Name}", "--clear-groups", fileName, .. arguments]);
    }

    /// <summary>A new private directory the service account owns.</summary>
    public static async Task<string> CreateDirectoryAsync(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        if (IsRoot)
        {
            EnsureExists();
            var chown = await Secretary.Testing.ProcessRunner.RunAsync("chown", [$"{Name}:{Name}", directory]);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown {Name} {directory} failed: {chown.Stderr}");
            }
        }

        return directory;
    }

    /// <summary>Writes a file only the service account can read.</summary>
    public static async Task WriteFileAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (IsRoot)
        {
            await Secretary.Testing.ProcessRunner.RunAsync("chown", [$"{Name}:{Name}", path]);
        }
    }

    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing as it dies; the temporary directory goes with the machine.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void EnsureExists()
    {
        if (!File.ReadAllLines("/etc/passwd").Any(line => line.StartsWith(Name + ":", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"The user {Name} does not exist: run scripts/install-test-deps.sh (as root), which creates it.");
        }
    }
}
