using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Secretary.Agent.SecurityTests;

/// <summary>
/// Another local user against the agent: each attack of issue "safe against local attackers", run by an unprivileged
/// user (<see cref="Attacker"/>) against <c>secretary serve</c> run by the victim (root here, as in CI).
/// </summary>
public sealed partial class LocalAttackerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-security-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"RECEIVED (\d+) bytes")]
    private static partial Regex Received();

    [Fact]
    public async Task A_20000_connection_flood_leaves_the_agent_up_with_bounded_memory_and_reads_work_when_it_ends()
    {
        await using var agent = await VictimAgent.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await agent.ReadAsync());
        var before = agent.ResidentMegabytes();

        var floods = new List<ServerProcess>();
        var peak = before;
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var (flood, ready) = await Attacker.StartAsync("flood.py", agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "10000");
                floods.Add(flood);
                output.WriteLine($"attacker {i + 1}: {ready}");
                peak = Math.Max(peak, agent.ResidentMegabytes());
            }

            // While the flood holds its connections: sample the agent's memory for a while (each sample waits on the agent, not a clock).
            for (var i = 0; i < 20; i++)
            {
                await Task.Delay(250); // a sampling interval, not a wait for an event
                peak = Math.Max(peak, agent.ResidentMegabytes());
                Assert.False(agent.Process.HasExited, agent.Process.Output);
            }
        }
        finally
        {
            foreach (var flood in floods)
            {
                await flood.KillAsync();
                await flood.DisposeAsync();
            }
        }

        var ended = Stopwatch.StartNew();
        var status = await agent.ReadAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"RSS before {before:0} MB, peak during the flood {peak:0} MB; first read after the flood: {(int)status} in {ended.ElapsedMilliseconds} ms");

        Assert.False(agent.Process.HasExited);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(peak <= 200, $"The agent grew to {peak:0} MB during the flood (bound: 200 MB).");
        Assert.Contains("Closed new connections", agent.Process.Output, StringComparison.Ordinal);
        Assert.True(Regex.Matches(agent.Process.Output, "Closed new connections").Count <= 5, "The shed warning is rate-limited.");
    }

    [Fact]
    public async Task Slow_readers_pinning_connections_do_not_starve_secret_reads()
    {
        await using var agent = await VictimAgent.StartAsync();
        var (readers, ready) = await Attacker.StartAsync("slow_reader.py", agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "830", "200", "/metrics");
        await using var _ = readers;
        output.WriteLine("attacker: " + ready);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            statuses.Add(await agent.ReadAsync());
        }

        Assert.False(readers.HasExited); // the attacker's connections are still there
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task An_unauthenticated_request_flood_writes_almost_nothing_to_the_log()
    {
        await using var agent = await VictimAgent.StartAsync();
        var before = agent.Process.Output.Length;

        var flood = await Attacker.RunAsync("hammer.py", agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "20000", "/secretsmanager/get?secretId=surgicase/main");

        Assert.True(flood.ExitCode == 0, flood.Stderr);
        Assert.Contains("403x20000", flood.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await agent.ReadAsync());
        var written = agent.Process.Output.Length - before;
        output.WriteLine($"20,000 refused requests wrote {written} bytes of log");
        Assert.True(written < 2048, $"The refused requests wrote {written} bytes of log: " + agent.Process.Output[before..]);
    }

    [Fact]
    public async Task A_user_squatting_the_agents_port_gets_no_token_and_is_named()
    {
        var port = FreePort();
        var (squatter, _) = await Attacker.StartAsync("squatter.py", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var __ = squatter;
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, VictimAgent.Token);

        var get = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--agent", $"http://127.0.0.1:{port}", "--token-file", tokenFile]);
        var stats = await ProcessRunner.RunCliAsync(["stats", "--agent", $"http://127.0.0.1:{port}", "--token-file", tokenFile]);
        using var store = new Hosting.AgentSecretStore(new Hosting.AgentSecretStoreOptions { Url = $"http://127.0.0.1:{port}", Token = VictimAgent.Token });
        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => store.GetSecretAsync(new SecretRequest("surgicase/main")));

        Assert.Equal(7, get.ExitCode);
        Assert.Contains($"runs as uid {Attacker.Uid}", get.Stderr, StringComparison.Ordinal);
        Assert.Equal(7, stats.ExitCode);
        Assert.Contains($"runs as uid {Attacker.Uid}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged", get.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"RECEIVED [1-9]", squatter.Output); // connections, but not one byte: the token never left
    }

    [Fact]
    public async Task A_user_squatting_the_agents_unix_socket_gets_no_token_and_the_real_socket_works()
    {
        var trap = Path.Combine("/tmp", "secretary-trap-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(trap);
        File.SetUnixFileMode(trap, (UnixFileMode)0x1FF);
        try
        {
            var socket = Path.Combine(trap, "agent.sock");
            var (squatter, _) = await Attacker.StartAsync("squatter.py", socket);
            await using (squatter)
            {
                var get = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--agent", "http://localhost", "--unix-socket", socket],
                    new Dictionary<string, string?> { ["AWS_TOKEN"] = VictimAgent.Token });
                Assert.Equal(7, get.ExitCode);
                Assert.Contains($"runs as uid {Attacker.Uid}", get.Stderr, StringComparison.Ordinal);
                Assert.DoesNotMatch(@"RECEIVED [1-9]", squatter.Output);
            }

            // The victim's own agent on its own socket (a 0700 directory it creates): read, checked and served.
            var own = Path.Combine(_directory, "run", "agent.sock");
            await using var agent = await VictimAgent.StartAsync(null, "--unix-socket", own);
            Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.GetDirectoryName(own)!)); // 0700
            Assert.Equal((UnixFileMode)0x1B0, File.GetUnixFileMode(own)); // 0660
            var read = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--key", "COMPRESSION_MODE", "--agent", "http://localhost", "--unix-socket", own],
                new Dictionary<string, string?> { ["AWS_TOKEN"] = VictimAgent.Token });
            Assert.True(read.ExitCode == 0, read.Stderr);
            var tcp = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--key", "COMPRESSION_MODE", "--agent", agent.Url.ToString()],
                new Dictionary<string, string?> { ["AWS_TOKEN"] = VictimAgent.Token });
            Assert.True(tcp.ExitCode == 0, tcp.Stderr); // over TCP the listener is the victim's own: accepted
            Assert.Equal(read.Stdout, tcp.Stdout);
        }
        finally
        {
            Directory.Delete(trap, recursive: true);
        }
    }

    [Fact]
    public async Task The_CLI_never_sends_the_token_through_a_proxy()
    {
        await using var agent = await VictimAgent.StartAsync();
        var proxyPort = FreePort();
        var (proxy, _) = await Attacker.StartAsync("squatter.py", proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var __ = proxy;
        var proxied = new Dictionary<string, string?>
        {
            ["AWS_TOKEN"] = VictimAgent.Token,
            ["HTTP_PROXY"] = $"http://127.0.0.1:{proxyPort}",
            ["http_proxy"] = $"http://127.0.0.1:{proxyPort}",
            ["HTTPS_PROXY"] = $"http://127.0.0.1:{proxyPort}",
            ["ALL_PROXY"] = $"http://127.0.0.1:{proxyPort}",
            ["all_proxy"] = $"http://127.0.0.1:{proxyPort}",
            ["NO_PROXY"] = null,
            ["no_proxy"] = null,
        };

        var get = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--agent", agent.Url.ToString()], proxied);
        var stats = await ProcessRunner.RunCliAsync(["stats", "--agent", agent.Url.ToString()], proxied);

        Assert.True(get.ExitCode == 0, get.Stderr);
        Assert.True(stats.ExitCode == 0, stats.Stderr);
        Assert.DoesNotContain("CONNECTED", proxy.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_world_writable_token_directory_is_refused_and_no_token_is_written()
    {
        var home = Path.Combine("/tmp", "secretary-home-" + Guid.NewGuid().ToString("N")[..8]);
        var trap = Path.Combine(home, ".secretary");
        var prepared = await Attacker.RunAsync("mkdir_open.py", home, trap); // the attacker owns both, mode 0777
        Assert.True(prepared.ExitCode == 0, prepared.Stderr);
        try
        {
            var result = await ProcessRunner.RunCliAsync(
                ["serve", "--dev", "--port", "0", "--emulator-port", "0"],
                new Dictionary<string, string?> { ["HOME"] = home, ["XDG_RUNTIME_DIR"] = null, ["AWS_TOKEN"] = null, ["AWS_SESSION_TOKEN"] = null, ["SECRETARY_TOKEN"] = null },
                timeout: TimeSpan.FromSeconds(60));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(trap, result.Stderr, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(trap));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Without_HOME_no_token_is_written_to_a_shared_temporary_directory()
    {
        var result = await ProcessRunner.RunCliAsync(
            ["serve", "--dev", "--port", "0", "--emulator-port", "0"],
            new Dictionary<string, string?> { ["HOME"] = null, ["XDG_RUNTIME_DIR"] = null, ["AWS_TOKEN"] = null, ["AWS_SESSION_TOKEN"] = null, ["SECRETARY_TOKEN"] = null, ["TMPDIR"] = _directory },
            timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a shared temporary directory is never used", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, ".secretary")));
    }

    [Fact]
    public async Task A_link_planted_at_the_token_path_is_replaced_not_followed_and_each_dev_agent_has_its_own_token()
    {
        var home = Path.Combine(_directory, "home");
        var tokens = Path.Combine(home, ".secretary");
        Directory.CreateDirectory(tokens, (UnixFileMode)0x1C0);
        var victim = Path.Combine(_directory, "precious.txt");
        await File.WriteAllTextAsync(victim, "keep me");
        var port = FreePort();
        File.CreateSymbolicLink(Path.Combine(tokens, $"token-{port}"), victim);
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["XDG_RUNTIME_DIR"] = null, ["AWS_TOKEN"] = null, ["AWS_SESSION_TOKEN"] = null, ["SECRETARY_TOKEN"] = null };
        var listening = new Regex(@"listening on (http://127\.0\.0\.1:\d+)");

        var (first, _) = await ServerProcess.StartCliAsync(["serve", "--dev", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--emulator-port", "0"], listening, environment);
        await using (first)
        {
            var (second, secondReady) = await ServerProcess.StartCliAsync(["serve", "--dev", "--port", "0", "--emulator-port", "0"], listening, environment);
            await using (second)
            {
                var firstToken = Path.Combine(tokens, $"token-{port}");
                var secondToken = Path.Combine(tokens, $"token-{new Uri(secondReady.Groups[1].Value).Port}");
                await second.WaitForLineAsync(new Regex("stats: "), TimeSpan.FromSeconds(30));

                Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
                Assert.Null(new FileInfo(firstToken).LinkTarget);
                Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(firstToken)); // 0600
                Assert.NotEqual(await File.ReadAllTextAsync(firstToken), await File.ReadAllTextAsync(secondToken));
                foreach (var (url, file) in new[] { ($"http://127.0.0.1:{port}", firstToken), (secondReady.Groups[1].Value, secondToken) })
                {
                    var get = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--agent", url], environment);
                    Assert.True(get.ExitCode == 0, get.Stderr); // the CLI finds each agent's own token
                }
            }
        }
    }

    [Fact]
    public async Task A_token_file_owned_by_another_user_or_a_link_is_warned_about()
    {
        var theirs = Path.Combine(_directory, "their-token");
        await File.WriteAllTextAsync(theirs, VictimAgent.Token);
        var chown = await ProcessRunner.RunAsync("chown", [Attacker.User, theirs]);
        Assert.True(chown.ExitCode == 0, chown.Stderr);
        var link = Path.Combine(_directory, "linked-token");
        File.CreateSymbolicLink(link, theirs);

        await using (var agent = await VictimAgent.StartAsync(null, "--token-file", theirs))
        {
            Assert.Contains($"is owned by another user (uid {Attacker.Uid})", agent.Process.Output, StringComparison.Ordinal);
        }

        await using (var agent = await VictimAgent.StartAsync(null, "--token-file", link))
        {
            Assert.Contains("is a symbolic link", agent.Process.Output, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
