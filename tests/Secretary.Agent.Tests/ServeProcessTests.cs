using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Agent.Tests;

/// <summary><c>secretary serve</c> as a real process.</summary>
public sealed partial class ServeProcessTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("secretary-serve-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    private Dictionary<string, string?> Environment(params (string Key, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["XDG_RUNTIME_DIR"] = null,
            ["SECRETARY_TOKEN"] = null,
            ["AWS_TOKEN"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = null,
            ["DOTNET_ENVIRONMENT"] = "Development",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static async Task<HttpStatusCode> GetAsync(string url, string? token, string path = "/secretsmanager/get?secretId=surgicase/main")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url + path);
        if (token is not null)
        {
            request.Headers.Add("X-Aws-Parameters-Secrets-Token", token);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string[] Serve(params string[] extra) => ["serve", "--store", "file:samples/dev-secrets.json", "--port", "0", .. extra];

    [Fact]
    public async Task Without_a_token_the_agent_refuses_to_start_as_the_AWS_agent_does()
    {
        var result = await ProcessRunner.RunCliAsync(Serve(), Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "Could not read SSRF token variable(s) [\"AWS_TOKEN\", \"AWS_SESSION_TOKEN\", \"AWS_CONTAINER_AUTHORIZATION_TOKEN\"]: environment variable not found",
            result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_home, ".secretary")));
    }

    [Fact]
    public async Task A_token_file_that_cannot_be_read_is_exit_code_1()
    {
        var result = await ProcessRunner.RunCliAsync(Serve(), Environment(("AWS_TOKEN", "file:///no/such/file")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Could not read SSRF token variable(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_variables_are_read_in_the_AWS_agents_order_then_SECRETARY_TOKEN()
    {
        string[] order = ["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "SECRETARY_TOKEN"];
        for (var first = 0; first < order.Length; first++)
        {
            var set = order.Skip(first).Select(v => (v, (string?)("token-of-" + v))).ToArray();
            var (agent, ready) = await ServerProcess.StartCliAsync(Serve(), AgentLine(), Environment(set));
            await using (agent)
            {
                var url = ready.Groups[1].Value;
                Assert.Equal(HttpStatusCode.OK, await GetAsync(url, "token-of-" + order[first]));
                foreach (var later in order.Skip(first + 1))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(url, "token-of-" + later));
                }
            }
        }
    }

    [Fact]
    public async Task The_banner_has_the_AWS_agents_listening_line_and_c_is_config()
    {
        var config = Path.Combine(_home, "agent.toml");
        await File.WriteAllTextAsync(config, "http_port = \"0\"\nstore = \"file:samples/dev-secrets.json\"\n");
        var (agent, ready) = await ServerProcess.StartCliAsync(
            ["serve", "-c", config], new Regex(@"listening on (http://127\.0\.0\.1:\d+)"), Environment(("AWS_TOKEN", "t")));
        await using var _ = agent;

        Assert.Equal(HttpStatusCode.OK, await GetAsync(ready.Groups[1].Value, "t"));
        Assert.Contains(agent.Output.Split('\n'), line => line.StartsWith("Agent/" + SecretaryAgentHost.Version + " listening on http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("token-file")]
    [InlineData("SECRETARY_TOKEN")]
    [InlineData("AWS_TOKEN")]
    [InlineData("AWS_TOKEN=file://")]
    [InlineData("AWS_SESSION_TOKEN")]
    public async Task The_token_comes_from_each_source(string source)
    {
        const string token = "a-token-from-somewhere";
        var tokenFile = Path.Combine(_home, "token.txt");
        await File.WriteAllTextAsync(tokenFile, token);
        var args = source == "token-file" ? Serve("--token-file", tokenFile) : Serve();
        var environment = source switch
        {
            "token-file" => Environment(),
            "AWS_TOKEN=file://" => Environment(("AWS_TOKEN", "file://" + tokenFile)),
            _ => Environment((source, token)),
        };

        var (agent, ready) = await ServerProcess.StartCliAsync(args, AgentLine(), environment);
        await using var _ = agent;

        Assert.Equal(HttpStatusCode.OK, await GetAsync(ready.Groups[1].Value, token));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(ready.Groups[1].Value, "another"));
        Assert.False(Directory.Exists(Path.Combine(_home, ".secretary")));
    }

    [Fact]
    public async Task A_non_loopback_address_is_refused_without_allow_remote()
    {
        var result = await ProcessRunner.RunCliAsync(Serve("--bind", "0.0.0.0"), Environment(("AWS_TOKEN", "t")));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--allow-remote", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_AWS_agents_toml_file_is_read_and_unknown_keys_are_refused()
    {
        var good = Path.Combine(_home, "good.toml");
        await File.WriteAllTextAsync(good, """
            log_level = "warn"
            http_port = 0
            ttl_seconds = 120
            cache_size = 50
            max_conn = 20
            path_prefix = "/secrets/"
            ssrf_headers = ["X-Custom-Token"]
            ssrf_env_variables = ["MY_TOKEN"]
            region = "us-east-1"
            store = "file:samples/dev-secrets.json"
            """);
        var (agent, ready) = await ServerProcess.StartCliAsync(["serve", "--config", good], AgentLine(), Environment(("MY_TOKEN", "t0k3n")));
        await using (agent)
        {
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, ready.Groups[1].Value + "/secrets/surgicase/main");
            request.Headers.Add("X-Custom-Token", "t0k3n");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
            using var statsRequest = new HttpRequestMessage(HttpMethod.Get, ready.Groups[1].Value + "/secrets-cache-stats");
            statsRequest.Headers.Add("X-Custom-Token", "t0k3n");
            var stats = await (await client.SendAsync(statsRequest)).Content.ReadAsStringAsync();
            Assert.Equal(50, JsonDocument.Parse(stats).RootElement.GetProperty("max_entries").GetInt32());
        }

        var bad = Path.Combine(_home, "bad.toml");
        await File.WriteAllTextAsync(bad, "http_port = 2773\nttl_secnods = 5\n");
        var result = await ProcessRunner.RunCliAsync(["serve", "--config", bad], Environment(("AWS_TOKEN", "t")));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown field `ttl_secnods`", result.Stderr, StringComparison.Ordinal);

        var invalid = Path.Combine(_home, "invalid.toml");
        await File.WriteAllTextAsync(invalid, "ttl_seconds = 3601\nmax_conn = -1\n");
        result = await ProcessRunner.RunCliAsync(["serve", "--config", invalid], Environment(("AWS_TOKEN", "t")));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Internals.AgentMessages.InvalidTtlSeconds, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Internals.AgentMessages.InvalidMaxConn, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_configuration_overrides_defaults()
    {
        var (agent, ready) = await ServerProcess.StartCliAsync(Serve(), AgentLine(), Environment(("SECRETARY__CACHESIZE", "77"), ("SECRETARY_TOKEN", "t")));
        await using var _ = agent;
        using var client = new HttpClient();

        client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", "t");
        var stats = await client.GetStringAsync(ready.Groups[1].Value + "/secrets-cache-stats");

        Assert.Equal(77, JsonDocument.Parse(stats).RootElement.GetProperty("max_entries").GetInt32());
    }

    [Fact]
    public async Task A_python_client_written_for_the_AWS_agent_works_unchanged()
    {
        var (agent, ready) = await ServerProcess.StartCliAsync(Serve(), AgentLine(), Environment(("AWS_SESSION_TOKEN", "lambda-style-token")));
        await using var _ = agent;
        var port = new Uri(ready.Groups[1].Value).Port;

        // The pattern AWS documents for its agent and the Lambda extension: urllib, the token header, SecretString.
        const string script = """
            import json, os, sys, urllib.request
            port = sys.argv[1]
            def get_secret(secret_id):
                url = f"http://localhost:{port}/secretsmanager/get?secretId={secret_id}"
                request = urllib.request.Request(url, headers={"X-Aws-Parameters-Secrets-Token": os.environ["AWS_SESSION_TOKEN"]})
                with urllib.request.urlopen(request) as response:
                    return json.loads(response.read())
            secret = get_secret("surgicase/ses_keys")
            config = json.loads(secret["SecretString"])
            assert secret["Name"] == "surgicase/ses_keys", secret["Name"]
            assert "AWSCURRENT" in secret["VersionStages"]
            assert secret["VersionId"]
            print("from:", config["ses_default_from_email"].split("@")[1])
            try:
                get_secret("does/not/exist")
            except urllib.error.HTTPError as error:
                body = json.loads(error.read())
                print("missing:", error.code, body["__type"])
            """;
        var result = await ProcessRunner.RunAsync("python3", ["-c", script, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string?> { ["AWS_SESSION_TOKEN"] = "lambda-style-token" });

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("from: dev.surgicase.example", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("missing: 400 ResourceNotFoundException", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Sigterm_stops_the_agent_cleanly_and_the_log_holds_no_secret_value(string logFormat)
    {
        var secrets = Path.Combine(_home, "secrets.json");
        await File.WriteAllTextAsync(secrets, $$"""{"canary": {"password": "{{Canary.Value}}"}, "plain": "{{Canary.Value}}"}""");
        var (agent, ready) = await ServerProcess.StartCliAsync(
            ["serve", "--store", "file:" + secrets, "--port", "0", "--log-format", logFormat],
            AgentLine(),
            Environment(("SECRETARY_TOKEN", "t"), ("SECRETARY__LOGLEVEL", "debug")));
        await using var _ = agent;
        var url = ready.Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, await GetAsync(url, "t", "/v1/canary"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(url, "t", "/v1/plain?refreshNow=true"));
        Assert.Equal(HttpStatusCode.BadRequest, await GetAsync(url, "t", "/v1/missing"));

        var exit = await agent.TerminateAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains(logFormat == "json" ? "\"Route\":\"/v1/{secretId}\",\"Status\":200" : "/v1/{secretId} 200", agent.Output, StringComparison.Ordinal);
        Canary.AssertAbsent([agent.Output]);
    }
}
