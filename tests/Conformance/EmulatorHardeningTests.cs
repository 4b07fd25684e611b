using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>
/// The emulator process from the attacker's seat: another local user (the unprivileged <c>secretary-attacker</c> that
/// scripts/install-test-deps.sh creates) must not read the data file or what a killed emulator left beside it, and a
/// wrong <c>--data</c> fails the start with one clear line.
/// </summary>
public sealed class EmulatorHardeningTests : IDisposable
{
    private const string Attacker = "secretary-attacker";
    private readonly string _directory;

    public EmulatorHardeningTests()
    {
        // A directory other users may enter, so only the files' own modes stand between them and the values.
        _directory = Path.Combine(Path.GetTempPath(), "secretary-hardening-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<ProcessRunner.Result> AsAttackerAsync(params string[] command)
    {
        var id = await ProcessRunner.RunAsync("id", ["-u", Attacker], new Dictionary<string, string?>());
        Assert.True(id.ExitCode == 0, $"the unprivileged user {Attacker} is missing: run scripts/install-test-deps.sh as root. {id}");
        return await ProcessRunner.RunAsync("runuser", ["-u", Attacker, "--", .. command], new Dictionary<string, string?>());
    }

    [Fact]
    public async Task AnotherLocalUser_CannotReadTheDataFile_NorAStaleTemporaryFile()
    {
        var data = Path.Combine(_directory, "state.json");
        var stale = Path.Combine(_directory, ".state.json." + Guid.NewGuid().ToString("N") + ".tmp");
        await File.WriteAllTextAsync(stale, "CANARY-stale-value");
        File.SetUnixFileMode(stale, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var emulator = await EmulatorProcess.StartAsync("--data", data);
        await new AwsCli(emulator.Endpoint).OkAsync("create-secret", "--name", "guarded", "--secret-string", "CANARY-guarded-value");

        Assert.False(File.Exists(stale), "the stale temporary file of a killed emulator must be removed at start");
        var read = await AsAttackerAsync("cat", data);
        Assert.NotEqual(0, read.ExitCode);
        Assert.Contains("Permission denied", read.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", read.Stdout, StringComparison.Ordinal);
        var listing = await AsAttackerAsync("ls", "-a", _directory);
        Assert.Equal(0, listing.ExitCode);
        Assert.DoesNotContain(".tmp", listing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebPage_CannotReachTheProcess_ByDnsRebindingOrACrossSitePost()
    {
        await using var emulator = await EmulatorProcess.StartAsync();
        await new AwsCli(emulator.Endpoint).OkAsync("create-secret", "--name", "kept", "--secret-string", "v");
        using var http = new HttpClient();

        using (var rebound = new HttpRequestMessage(HttpMethod.Get, emulator.Endpoint + "/_emulator/requests"))
        {
            rebound.Headers.Host = "attacker.example:" + emulator.Port;
            using var response = await http.SendAsync(rebound);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var crossSite = new HttpRequestMessage(HttpMethod.Post, emulator.Endpoint + "/_emulator/reset"))
        {
            crossSite.Headers.Add("Origin", "http://attacker.example");
            crossSite.Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain");
            using var response = await http.SendAsync(crossSite);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal("v", (await new AwsCli(emulator.Endpoint).OkAsync("get-secret-value", "--secret-id", "kept"))["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task DataInAMissingDirectory_FailsTheStart_WithOneLine()
    {
        var data = Path.Combine(_directory, "no-such-dir", "state.json");
        var (fileName, cli) = ProcessRunner.CliCommand;
        var result = await ProcessRunner.RunAsync(fileName, [.. cli, "emulator", "--port", "0", "--data", data], new Dictionary<string, string?>(), timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal); // every command's failure line (docs/cli.md)
        Assert.Contains(Path.Combine(_directory, "no-such-dir"), line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "no-such-dir")));
    }
}
