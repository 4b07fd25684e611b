using System.Globalization;
using System.Text.RegularExpressions;

namespace Secretary.Agent.SecurityTests;

/// <summary>
/// The attacker's seat: an unprivileged local user, created here when missing (CI runs as root), running the scripts
/// under <c>Attacks/</c> with the system Python, with its own uid and no supplementary groups.
/// </summary>
internal static partial class Attacker
{
    public const string User = "secretary-attacker";
    private static readonly Lazy<(int Uid, int Gid)> Identity = new(CreateUser);

    public static int Uid => Identity.Value.Uid;

    public static int Gid => Identity.Value.Gid;

    [GeneratedRegex("READY.*")]
    private static partial Regex Ready();

    /// <summary>Starts an attack script as the attacker; returns once it printed READY.</summary>
    public static async Task<(ServerProcess Process, string Ready)> StartAsync(string script, params string[] args)
    {
        var (process, ready) = await ServerProcess.StartAsync("bash", ["-c", Command(script, args)], Ready(), timeout: TimeSpan.FromSeconds(120));
        return (process, ready.Value);
    }

    /// <summary>Runs an attack script as the attacker to its end.</summary>
    public static Task<ProcessRunner.Result> RunAsync(string script, params string[] args) =>
        ProcessRunner.RunAsync("bash", ["-c", Command(script, args)], timeout: TimeSpan.FromMinutes(3));

    private static string Command(string script, string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Attacks", script);
        var quoted = string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return $"ulimit -n $(ulimit -Hn); exec setpriv --reuid={Uid} --regid={Gid} --clear-groups /usr/bin/python3 -u '{path}' {quoted}";
    }

    private static (int Uid, int Gid) CreateUser()
    {
        Assert.True(Environment.UserName == "root", "The security tests create the attacker's user: run them as root (as CI does).");
        var id = ProcessRunner.RunAsync("id", ["-u", User]).GetAwaiter().GetResult();
        if (id.ExitCode != 0)
        {
            var created = ProcessRunner.RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", User]).GetAwaiter().GetResult();
            Assert.True(created.ExitCode == 0, "useradd failed: " + created.Stderr);
            id = ProcessRunner.RunAsync("id", ["-u", User]).GetAwaiter().GetResult();
        }

        var gid = ProcessRunner.RunAsync("id", ["-g", User]).GetAwaiter().GetResult();
        return (int.Parse(id.Stdout.Trim(), CultureInfo.InvariantCulture), int.Parse(gid.Stdout.Trim(), CultureInfo.InvariantCulture));
    }
}
