using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Tests;

/// <summary>
/// The <c>secretary</c> executable as a new user and a script author meet it: every failure is one line on stderr with
/// what to do, an exit code by kind (2 usage, 3–9 by category), never a stack trace or a .NET type name.
/// </summary>
public sealed partial class CliUsageTests : IDisposable
{
    private const string Store = "file:samples/dev-secrets.json";

    private readonly string _home = Directory.CreateTempSubdirectory("secretary-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    [GeneratedRegex(@"emulator listening on (http://\S+)")]
    private static partial Regex EmulatorLine();

    /// <summary>No shared config of the machine's user: profiles are looked up in an empty home.</summary>
    private Dictionary<string, string?> Environment(params (string Key, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["AWS_PROFILE"] = null,
            ["AWS_CONFIG_FILE"] = Path.Combine(_home, "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_home, "credentials"),
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["SECRETARY_STORE"] = null,
            ["SECRETARY_TOKEN"] = "cli-usage-test-token",
            ["XDG_RUNTIME_DIR"] = null,
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>The one line on stderr; nothing that looks like a stack trace or a .NET suffix anywhere.</summary>
    private static string OneLine(ProcessRunner.Result result)
    {
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var text in new[] { result.Stdout, result.Stderr })
        {
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter '", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        }

        return line.TrimEnd('\r');
    }

    [Fact]
    public async Task Help_names_the_command_secretary_and_lists_the_exit_codes()
    {
        var result = await ProcessRunner.RunCliAsync(["--help"], Environment());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  secretary [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretary.Cli", result.Stdout, StringComparison.Ordinal);
        var codes = result.Stdout[result.Stdout.IndexOf("Exit codes:", StringComparison.Ordinal)..];
        foreach (var code in new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" })
        {
            Assert.Matches(new Regex($"(?m)^  {code}  \\S"), codes);
        }

        // A subcommand's help is named the same way, without the exit codes.
        var get = await ProcessRunner.RunCliAsync(["get", "--help"], Environment());
        Assert.Contains("  secretary get <id> [options]", get.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exit codes:", get.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "get", "x", "--agent", "127.0.0.1:2873" }, "error: --agent expects a URL such as http://127.0.0.1:2873, not '127.0.0.1:2873'; see 'secretary get --help'.")]
    [InlineData(new[] { "serve", "--port", "abc" }, "error: --port expects a port number from 0 to 65535, not 'abc'; see 'secretary serve --help'.")]
    [InlineData(new[] { "serve", "--port", "70000" }, "error: --port expects a port number from 0 to 65535, not '70000'; see 'secretary serve --help'.")]
    [InlineData(new[] { "serve", "--ttl", "soon" }, "error: --ttl expects a number of seconds from 0 to 3600, not 'soon'; see 'secretary serve --help'.")]
    [InlineData(new[] { "emulator", "--port", "-1" }, "error: --port expects a port number from 0 to 65535, not '-1'; see 'secretary emulator --help'.")]
    [InlineData(new[] { "emulator", "--rotation-function", "rotate" }, "error: --rotation-function expects NAME=http://127.0.0.1:PORT/ or NAME=cmd:PATH, not 'rotate'; see 'secretary emulator --help'.")]
    [InlineData(new[] { "emulator", "--log-format", "xml" }, "error: --log-format must be text or json, not 'xml'; see 'secretary emulator --help'.")]
    [InlineData(new[] { "ping", "--timeout", "0" }, "error: --timeout expects a number of seconds from 1 to 300, not '0'; see 'secretary ping --help'.")]
    [InlineData(new[] { "nosuch" }, "error: Unrecognized command or argument 'nosuch'; see 'secretary --help'.")]
    [InlineData(new string[0], "error: a command is required: get, warm, emulator, serve, invalidate, stats, ping; see 'secretary --help'.")]
    [InlineData(new[] { "get" }, "error: Required argument 'id' missing for command: 'get'; see 'secretary get --help'.")]
    public async Task A_parse_error_says_what_was_expected_and_exits_2(string[] args, string expected)
    {
        var result = await ProcessRunner.RunCliAsync(args, Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, OneLine(result));
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "get", "", "--store", Store }, "error: A secret id must be 1 to 2048 characters with no control characters.")]
    [InlineData(new[] { "get", "x" }, "error: No store given: pass --store file:PATH, --store aws or --store ssm, or set SECRETARY_STORE.")]
    [InlineData(new[] { "get", "x", "--store", "nosuchkind:abc" }, "error: Unknown store 'nosuchkind'. Known stores: aws, file, ssm; others are registered with SecretStores.Register.")]
    [InlineData(new[] { "get", "x", "--store", Store, "--region", "us-east-1" }, "error: --region, --endpoint-url and --profile apply to --store aws and --store ssm only.")]
    [InlineData(new[] { "warm", "--from-file", "no-such-ids.txt", "--store", Store }, "error: The ids file 'no-such-ids.txt' does not exist; give one id a line, or '-' for stdin.")]
    public async Task A_usage_error_found_when_running_is_one_line_and_exits_2(string[] args, string expected)
    {
        var result = await ProcessRunner.RunCliAsync(args, Environment());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, OneLine(result));
    }

    [Fact]
    public async Task An_unknown_profile_is_the_same_usage_error_by_flag_and_by_AWS_PROFILE()
    {
        var byFlag = await ProcessRunner.RunCliAsync(["get", "x", "--store", "aws", "--region", "us-east-1", "--profile", "nope"], Environment());
        var byVariable = await ProcessRunner.RunCliAsync(["get", "x", "--store", "aws", "--region", "us-east-1"], Environment(("AWS_PROFILE", "nope")));
        var warm = await ProcessRunner.RunCliAsync(["warm", "x", "--store", "aws", "--region", "us-east-1"], Environment(("AWS_PROFILE", "nope")));

        Assert.Equal(2, byFlag.ExitCode);
        Assert.Equal(byFlag.ExitCode, byVariable.ExitCode);
        Assert.Equal(byFlag.ExitCode, warm.ExitCode);
        Assert.Equal(
            "error: The AWS profile 'nope' was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).",
            OneLine(byFlag));
        Assert.Equal(
            "error: The AWS profile 'nope' (AWS_PROFILE) was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).",
            OneLine(byVariable));
    }

    [Fact]
    public async Task Serve_takes_profile_like_get_and_an_unknown_one_stops_it_with_the_same_code_either_way()
    {
        var byFlag = await ProcessRunner.RunCliAsync(["serve", "--store", "aws", "--region", "us-east-1", "--port", "0", "--profile", "nope"], Environment());
        var byVariable = await ProcessRunner.RunCliAsync(["serve", "--store", "aws", "--region", "us-east-1", "--port", "0"], Environment(("AWS_PROFILE", "nope")));

        // As the AWS agent: a configuration it refuses is exit 1, the message alone.
        Assert.Equal(1, byFlag.ExitCode);
        Assert.Equal(1, byVariable.ExitCode);
        Assert.Equal("The AWS profile 'nope' was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).", OneLine(byFlag));
        Assert.Equal("The AWS profile 'nope' (AWS_PROFILE) was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).", OneLine(byVariable));
    }

    [Fact]
    public async Task Serve_refuses_the_aws_stores_flags_for_another_store()
    {
        var result = await ProcessRunner.RunCliAsync(["serve", "--store", Store, "--port", "0", "--fallback-region", "us-west-2"], Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("--fallback-region and --profile apply to --store aws only.", OneLine(result));
    }

    [Fact]
    public async Task Serve_with_a_profile_signs_with_its_credentials_in_its_region_and_takes_fallback_regions()
    {
        await File.WriteAllTextAsync(Path.Combine(_home, "config"), "[profile ops]\nregion = eu-west-1\n");
        await File.WriteAllTextAsync(Path.Combine(_home, "credentials"), "[ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = ops-secret\n");
        var (emulator, listening) = await ServerProcess.StartCliAsync(
            ["emulator", "--port", "0", "--access-key", "AKIDOPS", "--secret-key", "ops-secret", "--region", "eu-west-1", "--seed", "samples/dev-secrets.json"],
            EmulatorLine(),
            Environment());
        await using var runningEmulator = emulator;

        var (agent, ready) = await ServerProcess.StartCliAsync(
            ["serve", "--store", "aws", "--profile", "ops", "--fallback-region", "eu-central-1", "--endpoint-url", listening.Groups[1].Value.TrimEnd('/'), "--port", "0"],
            AgentLine(),
            Environment(("AWS_REGION", null), ("AWS_DEFAULT_REGION", null), ("AWS_ENDPOINT_URL", null), ("AWS_ENDPOINT_URL_SECRETS_MANAGER", null)));
        await using var runningAgent = agent;
        var result = await ProcessRunner.RunCliAsync(
            ["get", "surgicase/main", "--json", "--agent", ready.Groups[1].Value], Environment(("AWS_TOKEN", "cli-usage-test-token")));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Contains(":eu-west-1:", json.RootElement.GetProperty("arn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_is_one_line_naming_the_port_and_what_to_do()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var serve = await ProcessRunner.RunCliAsync(["serve", "--store", Store, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment());
        var emulator = await ProcessRunner.RunCliAsync(["emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment());

        var expected = $"error: Failed to bind to address http://127.0.0.1:{port}: address already in use; stop the program using it, or pass another --port (0 picks a free one).";
        Assert.Equal(1, serve.ExitCode);
        Assert.Equal(expected, OneLine(serve));
        Assert.Equal(1, emulator.ExitCode);
        Assert.Equal(expected, OneLine(emulator));
    }

    [Fact]
    public async Task Emulator_data_in_a_missing_directory_fails_at_start()
    {
        var data = Path.Combine(_home, "no-such-dir", "data.json");

        var result = await ProcessRunner.RunCliAsync(["emulator", "--port", "0", "--data", data], Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: The data file '{data}' cannot be used: its directory '{Path.GetDirectoryName(data)}' does not exist; create it or choose another path.",
            OneLine(result));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task An_unreachable_agent_is_store_unavailable_in_one_line()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "x", "--agent", "http://127.0.0.1:9"], Environment());

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("error: StoreUnavailable: The agent at http://127.0.0.1:9 cannot be reached (ConnectionError); check that it is running (secretary serve).", OneLine(result));

        // ping goes through the same client: the same line, and 1 (unhealthy) for a container health check.
        var ping = await ProcessRunner.RunCliAsync(["ping", "--agent", "http://127.0.0.1:9"], Environment());
        Assert.Equal(1, ping.ExitCode);
        Assert.Equal("error: The agent at http://127.0.0.1:9 cannot be reached (ConnectionError); check that it is running (secretary serve).", OneLine(ping));
    }

    [Fact]
    public async Task Get_json_prints_the_secret_with_its_metadata()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--json", "--store", Store], Environment());

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("surgicase/main", root.GetProperty("name").GetString());
        Assert.Matches("^[0-9a-f-]{36}$", root.GetProperty("version_id").GetString());
        Assert.Equal(["AWSCURRENT"], root.GetProperty("version_stages").EnumerateArray().Select(e => e.GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("created_date").GetString());
        using var value = JsonDocument.Parse(root.GetProperty("secret_string").GetString()!);
        Assert.Equal("normal", value.RootElement.GetProperty("COMPRESSION_MODE").GetString());
        Assert.False(root.GetProperty("stale").GetBoolean());
        Assert.True(root.GetProperty("age_seconds").GetDouble() >= 0);

        var key = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--json", "--key", "COMPRESSION_MODE", "--store", Store], Environment());
        using var keyed = JsonDocument.Parse(key.Stdout);
        Assert.Equal("COMPRESSION_MODE", keyed.RootElement.GetProperty("key").GetString());
        Assert.Equal("normal", keyed.RootElement.GetProperty("value").GetString());
        Assert.False(keyed.RootElement.TryGetProperty("secret_string", out _));
    }

    [Fact]
    public async Task Get_json_through_an_agent_has_the_metadata_and_no_age_for_a_fresh_answer()
    {
        var (agent, ready) = await ServerProcess.StartCliAsync(["serve", "--store", Store, "--port", "0"], AgentLine(), Environment());
        await using var running = agent;

        var result = await ProcessRunner.RunCliAsync(
            ["get", "surgicase/main", "--json", "--agent", ready.Groups[1].Value], Environment(("AWS_TOKEN", "cli-usage-test-token")));

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("surgicase/main", json.RootElement.GetProperty("name").GetString());
        Assert.False(json.RootElement.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("age_seconds").ValueKind);

        var ping = await ProcessRunner.RunCliAsync(["ping", "--agent", ready.Groups[1].Value], Environment());
        Assert.Equal(0, ping.ExitCode);
        Assert.Equal("healthy", ping.Stdout.Trim());
    }

    [Theory]
    [InlineData(new[] { "surgicase/main", "no/such/secret" }, 3, "warmed 1 of 2 secrets in 1 store calls")]
    [InlineData(new[] { "surgicase/main", "surgicase/ses_keys" }, 0, "warmed 2 of 2 secrets in 1 store calls")]
    public async Task Warm_exits_by_the_category_of_the_first_failure_and_can_print_a_summary(string[] ids, int exitCode, string summary)
    {
        var result = await ProcessRunner.RunCliAsync(["warm", .. ids, "--summary", "--store", Store], Environment());

        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(summary, line, StringComparison.Ordinal);
        Assert.Equal(exitCode == 0 ? string.Empty : "; 1 failed: NotFound 1", Regex.Match(line, "; .*$").Value.Trim());

        // Not a terminal: no progress on stderr.
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Warm_reads_ids_from_a_file_or_stdin_with_comments_and_blank_lines()
    {
        var file = Path.Combine(_home, "ids.txt");
        await File.WriteAllTextAsync(file, "# the app's secrets\nsurgicase/main\n\nsurgicase/ses_keys  # mail\n");

        var fromFile = await ProcessRunner.RunCliAsync(["warm", "--from-file", file, "--store", Store], Environment());
        var fromStdin = await ProcessRunner.RunCliAsync(["warm", "--store", Store], Environment(), stdin: "surgicase/main\nsurgicase/ses_keys\n");
        var dash = await ProcessRunner.RunCliAsync(["warm", "--from-file", "-", "--store", Store], Environment(), stdin: "surgicase/main\n");

        foreach (var (result, count) in new[] { (fromFile, 2), (fromStdin, 2), (dash, 1) })
        {
            Assert.Equal(0, result.ExitCode);
            using var json = JsonDocument.Parse(result.Stdout);
            Assert.Equal(count, json.RootElement.GetProperty("successful").GetInt32());
        }
    }

    [Fact]
    public async Task Warm_on_a_terminal_draws_progress_on_stderr_and_keeps_stdout_for_the_report()
    {
        // script(1) gives the command a pseudo-terminal; stdout goes to a file, stderr stays on the terminal.
        var report = Path.Combine(_home, "report.json");
        var (cli, cliArgs) = ProcessRunner.CliCommand;
        string[] words = [cli, .. cliArgs, "warm", "surgicase/main", "surgicase/ses_keys", "--store", Store];
        var command = string.Join(' ', words.Select(Quote)) + " > " + Quote(report);

        var result = await ProcessRunner.RunAsync("script", ["-qec", command, "/dev/null"], Environment(("TERM", "xterm-256color"), ("COLUMNS", "100")));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warming", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("100%", result.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(2, json.RootElement.GetProperty("successful").GetInt32());

        static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
