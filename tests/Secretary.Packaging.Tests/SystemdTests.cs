namespace Secretary.Packaging.Tests;

/// <summary>
/// deploy/systemd as a package build would use it: the install script stages the files under a root, and Debian's
/// systemd checks the staged units (<c>systemd-analyze verify</c>, and <c>security</c> for the hardening). Starting the
/// units needs systemd as PID 1, which this machine does not run: docs/deploy.md says so.
/// </summary>
public sealed class SystemdTests : IDisposable
{
    private static readonly string Deploy = Path.Combine(RepoRoot.Path, "deploy", "systemd");
    private readonly string _root = Directory.CreateTempSubdirectory("secretary-systemd-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Install_stages_the_binary_the_seeding_script_the_units_and_the_config_with_their_modes()
    {
        await InstallAsync();
        AssertMode("opt/secretary/bin/secretary", "755");
        AssertMode("opt/secretary/bin/secretary-seed-token", "755");
        AssertMode("etc/systemd/system/secretary.service", "644");
        AssertMode("etc/systemd/system/secretary-token.service", "644");
        AssertMode("etc/secretary/config.toml", "644");
        Assert.Equal(File.ReadAllText(Path.Combine(Deploy, "secretary.service")), File.ReadAllText(Path.Combine(_root, "etc/systemd/system/secretary.service")));
    }

    [Fact]
    public async Task Installing_again_keeps_an_edited_config_and_uninstall_keeps_it_unless_purged()
    {
        await InstallAsync();
        var config = Path.Combine(_root, "etc/secretary/config.toml");
        File.WriteAllText(config, "http_port = 2999\n");
        await InstallAsync();
        Assert.Equal("http_port = 2999\n", File.ReadAllText(config));

        await RunAsync(Path.Combine(Deploy, "uninstall"), "--root", _root);
        Assert.False(Directory.Exists(Path.Combine(_root, "opt/secretary")));
        Assert.False(File.Exists(Path.Combine(_root, "etc/systemd/system/secretary.service")));
        Assert.True(File.Exists(config));
        await RunAsync(Path.Combine(Deploy, "uninstall"), "--root", _root, "--purge");
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task Install_refuses_a_missing_binary_and_says_how_to_get_one()
    {
        var result = await ProcessRunner.RunAsync(Path.Combine(Deploy, "install"), ["--binary", Path.Combine(_root, "absent"), "--root", _root]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("publish it first", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_analyze_verify_accepts_both_units_without_a_single_warning()
    {
        await InstallAsync();
        StageSystemdUnits();
        var result = await ProcessRunner.RunAsync(
            "systemd-analyze",
            ["verify", $"--root={_root}", Path.Combine(_root, "etc/systemd/system/secretary.service"), Path.Combine(_root, "etc/systemd/system/secretary-token.service")],
            workingDirectory: _root);
        Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0 && result.Stdout.Trim().Length == 0, $"systemd-analyze verify ({result.ExitCode}):\n{result.Stdout}{result.Stderr}");
    }

    [Theory]
    [InlineData("secretary.service")]
    [InlineData("secretary-token.service")]
    public async Task The_hardening_keeps_the_exposure_level_at_or_below_2(string unit)
    {
        await InstallAsync();
        StageSystemdUnits();
        var result = await ProcessRunner.RunAsync(
            "systemd-analyze",
            ["security", "--offline=yes", "--threshold=20", $"--root={_root}", Path.Combine(_root, "etc/systemd/system", unit)],
            workingDirectory: _root);
        var level = System.Text.RegularExpressions.Regex.Match(result.Stdout, @"Overall exposure level for \S+: (\d+\.\d)");
        Assert.True(level.Success, result.Stdout + result.Stderr);
        Assert.True(double.Parse(level.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 2.0, result.Stdout);
    }

    [Fact]
    public async Task The_seeding_script_writes_a_fresh_64_hex_token_readable_by_owner_and_group_only()
    {
        var token = Path.Combine(_root, "token");
        await RunAsync(Path.Combine(Deploy, "secretary-seed-token"), token);
        var first = File.ReadAllText(token);
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(token));

        await RunAsync(Path.Combine(Deploy, "secretary-seed-token"), token);
        Assert.NotEqual(first, File.ReadAllText(token));
        Assert.Equal(["token"], Directory.GetFiles(_root).Select(Path.GetFileName));   // no temporary file left behind
    }

    [Fact]
    public void The_connection_cap_fits_under_the_file_descriptor_limit()
    {
        var unit = File.ReadAllLines(Path.Combine(Deploy, "secretary.service"));
        var limit = int.Parse(unit.Single(l => l.StartsWith("LimitNOFILE=", StringComparison.Ordinal))["LimitNOFILE=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var config = File.ReadAllLines(Path.Combine(Deploy, "config.toml"));
        var maxConn = int.Parse(config.Single(l => l.StartsWith("max_conn", StringComparison.Ordinal)).Split('=')[1].Split('#')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(limit - maxConn, 100, 1000);
    }

    private async Task InstallAsync()
    {
        // Any executable stands in for the binary here: these tests are about the files around it.
        var binary = Path.Combine(_root, "..", Path.GetFileName(_root) + "-secretary");
        File.WriteAllText(binary, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await RunAsync(Path.Combine(Deploy, "install"), "--binary", binary, "--root", _root);
        }
        finally
        {
            File.Delete(binary);
        }
    }

    /// <summary>systemd-analyze resolves the units' dependencies (sysinit.target, ...) inside --root: give it the host's.</summary>
    private void StageSystemdUnits()
    {
        var source = new DirectoryInfo("/usr/lib/systemd/system");
        Assert.True(source.Exists, "systemd is not installed (scripts/install-test-deps.sh installs it).");
        var target = Path.Combine(_root, "usr/lib/systemd/system");
        Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, file.Name);
            if (file.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else if (file is FileInfo regular)
            {
                regular.CopyTo(destination);
            }
        }
    }

    private void AssertMode(string relative, string octal)
    {
        var mode = File.GetUnixFileMode(Path.Combine(_root, relative));
        Assert.Equal(octal, Convert.ToString((int)mode, 8));
    }

    private static async Task RunAsync(string script, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(script, args);
        Assert.True(result.ExitCode == 0, $"{Path.GetFileName(script)} {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.Stdout}{result.Stderr}");
    }
}
