using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Agent.Tests;

/// <summary><c>secretary serve</c> as a process: OTLP export to a real receiver, and its logs in text and JSON.</summary>
public sealed partial class TelemetryProcessTests : IDisposable
{
    private const string Token = "telemetry-test-token";

    private readonly string _home = Directory.CreateTempSubdirectory("secretary-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    [GeneratedRegex(@"stats: ")]
    private static partial Regex BannerEnd();

    private Dictionary<string, string?> Environment(params (string Key, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["XDG_RUNTIME_DIR"] = null,
            ["SECRETARY_TOKEN"] = Token,
            ["AWS_TOKEN"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["Logging__Console__FormatterName"] = null,
            ["OTEL_SERVICE_NAME"] = null,
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = null,
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    private (string, string?)[] Otlp(OtlpReceiver receiver) =>
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint.ToString().TrimEnd('/')),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ("OTEL_METRIC_EXPORT_INTERVAL", "500"),
    ];

    private static async Task<HttpResponseMessage> GetAsync(string url, string token)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_cold_read_through_the_agent_arrives_at_an_OTLP_receiver_as_one_trace_with_the_metrics()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var (agent, _) = await ServerProcess.StartCliAsync(
            ["serve", "--dev", "--port", "0", "--emulator-port", "0"], BannerEnd(), Environment([("SECRETARY_TOKEN", null), .. Otlp(receiver)]));
        await using var running = agent;
        var url = AgentLine().Match(agent.Output).Groups[1].Value;
        var tokenFile = Regex.Match(agent.Output, @"\$\(cat (\S+)\)").Groups[1].Value;
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();

        using (var cold = await GetAsync(url + "/secretsmanager/get?secretId=surgicase/main", token))
        {
            Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        }

        using (var pathForm = await GetAsync(url + "/v1/surgicase/ses_keys", token))
        {
            Assert.Equal(HttpStatusCode.OK, pathForm.StatusCode);
        }

        // The HTTP server span and, inside it, the cache's store call (a miss), in one trace.
        await receiver.WaitUntilAsync(r => r.Spans.Count(s => s.Scope == "Secretary") >= 2 && r.Spans.Count(s => s.Kind == 2) >= 2, "server and store-call spans");
        var server = Assert.Single(receiver.Spans, s => s.Kind == 2 && s.Attributes.GetValueOrDefault("http.route") == "/secretsmanager/get");
        Assert.Equal("GET /secretsmanager/get", server.Name);
        Assert.Equal("200", server.Attributes["http.response.status_code"]);
        Assert.Equal("GET", server.Attributes["http.request.method"]);
        var store = Assert.Single(receiver.Spans, s => s.Scope == "Secretary" && s.TraceId == server.TraceId);
        Assert.Equal(server.SpanId, store.ParentSpanId);
        Assert.Equal("GetSecretValue", store.Name);
        Assert.Equal(3, store.Kind); // client
        Assert.Equal("aws-api", store.Attributes["rpc.system"]);
        Assert.Equal("SecretsManager", store.Attributes["rpc.service"]);
        Assert.Equal("GetSecretValue", store.Attributes["rpc.method"]);
        Assert.Equal("us-east-1", store.Attributes["cloud.region"]);
        Assert.Equal("miss", store.Attributes["secretary.cache.outcome"]);
        Assert.Equal("1", store.Attributes["secretary.flight.waiters"]);
        Assert.Equal("secretary-agent", server.Resource["service.name"]);

        // The path form is named by its template; no span carries a secret's name unless asked to.
        var path = Assert.Single(receiver.Spans, s => s.Kind == 2 && s.Attributes.GetValueOrDefault("http.route") == "/v1/{secretId}");
        Assert.Equal("/v1/{secretId}", path.Attributes["url.path"]);
        Assert.DoesNotContain(receiver.Spans, s => s.Attributes.Values.Any(v => v.Contains("surgicase", StringComparison.Ordinal)));

        // Metrics: ASP.NET Core's request duration by route and status, and the cache's store calls.
        await receiver.WaitUntilAsync(
            r => r.Metrics.Any(m => m.Name == "http.server.request.duration" && m.Points.Any(p => p.GetValueOrDefault("http.route") == "/v1/{secretId}"))
                && r.Metrics.Any(m => m.Name == "secretary.store.calls"),
            "request and store-call metrics");
        var requests = receiver.Metrics.Last(m => m.Name == "http.server.request.duration");
        Assert.Equal("s", requests.Unit);
        Assert.Contains(requests.Points, p => p.GetValueOrDefault("http.route") == "/secretsmanager/get" && p.GetValueOrDefault("http.response.status_code") == "200");
        var storeCalls = receiver.Metrics.Last(m => m.Name == "secretary.store.calls");
        Assert.Contains(storeCalls.Points, p => p.GetValueOrDefault("operation") == "GetSecretValue" && p.GetValueOrDefault("outcome") == "success");
        Assert.Equal("secretary-agent", storeCalls.Resource["service.name"]);
        Assert.All(receiver.ContentTypes, type => Assert.Equal("application/x-protobuf", type));
    }

    [Fact]
    public async Task OTEL_SERVICE_NAME_and_resource_attributes_name_the_agent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var (agent, ready) = await ServerProcess.StartCliAsync(
            ["serve", "--store", "file:samples/dev-secrets.json", "--port", "0"],
            AgentLine(),
            Environment([.. Otlp(receiver), ("OTEL_SERVICE_NAME", "payments-agent"), ("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=staging")]));
        await using var running = agent;

        using (var response = await GetAsync(ready.Groups[1].Value + "/v1/surgicase/main", Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await receiver.WaitUntilAsync(r => r.Spans.Any(s => s.Kind == 2) && r.Metrics.Any(), "a span and a metric");
        var server = receiver.Spans.First(s => s.Kind == 2);
        Assert.Equal("payments-agent", server.Resource["service.name"]);
        Assert.Equal("staging", server.Resource["deployment.environment.name"]);
        Assert.All(receiver.Metrics, m => Assert.Equal("payments-agent", m.Resource["service.name"]));
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("configuration")]
    public async Task Json_logs_go_to_stderr_one_object_a_line_without_values_or_the_token(string how)
    {
        var secrets = Path.Combine(_home, "secrets.json");
        await File.WriteAllTextAsync(secrets, JsonSerializer.Serialize(new Dictionary<string, string> { ["json"] = Canary.Json, ["plain"] = Canary.Value }));
        var config = Path.Combine(_home, "agent.toml");
        await File.WriteAllTextAsync(config, $"log_level = \"debug\"\nhttp_port = 0\nstore = \"file:{secrets}\"\n");
        string[] args = how == "flag" ? ["serve", "-c", config, "--log-format", "json"] : ["serve", "-c", config];
        var environment = how == "flag" ? Environment() : Environment(("Logging__Console__FormatterName", "json"));
        var (agent, ready) = await ServerProcess.StartCliAsync(args, AgentLine(), environment);
        await using var running = agent;
        var url = ready.Groups[1].Value;

        foreach (var path in new[] { "/v1/json", "/secretsmanager/get?secretId=plain&refreshNow=true", "/v1/missing", "/secrets-cache-stats" })
        {
            (await GetAsync(url + path, Token)).Dispose();
        }

        (await GetAsync(url + "/v1/json", "wrong-token")).Dispose();
        await agent.WaitForLineAsync(new Regex("\"Status\":403"), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await agent.TerminateAsync(TimeSpan.FromSeconds(30)));

        var lines = agent.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line)).ToList();
        foreach (var entry in entries)
        {
            var root = entry.RootElement;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.GetProperty("Timestamp").GetString());
            Assert.True(root.TryGetProperty("LogLevel", out _));
            Assert.True(root.TryGetProperty("Category", out _));
            Assert.True(root.TryGetProperty("EventId", out _));
            Assert.True(root.TryGetProperty("Message", out _));
        }

        // The fields by name: one line per request, with its route and status.
        Assert.Contains(entries, e => e.RootElement.GetProperty("State").TryGetProperty("Route", out var route) && route.GetString() == "/v1/{secretId}"
            && e.RootElement.GetProperty("State").GetProperty("Status").GetInt32() == 200);
        Assert.Contains(entries, e => e.RootElement.GetProperty("Message").GetString()!.Contains("listening on " + url, StringComparison.Ordinal));

        // Standard output is the banner alone; the log holds no value and no token.
        Assert.StartsWith("Agent/secretary-", agent.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\"LogLevel\"", agent.StandardOutput, StringComparison.Ordinal);
        Canary.AssertAbsent([agent.StandardError, agent.StandardOutput]);
        Assert.DoesNotContain(Token, agent.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", agent.StandardError, StringComparison.Ordinal);
        entries.ForEach(e => e.Dispose());
    }

    [Fact]
    public async Task Text_logs_go_to_stderr_with_the_same_fields_and_the_banner_to_stdout()
    {
        var config = Path.Combine(_home, "agent.toml");
        await File.WriteAllTextAsync(config, "log_level = \"DEBUG\"\nhttp_port = 0\nstore = \"file:samples/dev-secrets.json\"\n");
        var (agent, ready) = await ServerProcess.StartCliAsync(["serve", "-c", config, "--log-format", "text"], AgentLine(), Environment());
        await using var running = agent;
        (await GetAsync(ready.Groups[1].Value + "/v1/surgicase/main", Token)).Dispose();
        var line = await agent.WaitForLineAsync(new Regex(@"^(\S+) dbug: Secretary\.Agent\.Internals\.AgentRequestHandler\[(\d+)\] GET /v1/\{secretId\} 200 "), TimeSpan.FromSeconds(30));

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line.Groups[1].Value);
        Assert.Contains(line.Value, agent.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("dbug:", agent.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", agent.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stats: ", agent.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_format_that_is_neither_text_nor_json_is_refused()
    {
        var byFlag = await ProcessRunner.RunCliAsync(["serve", "--store", "file:samples/dev-secrets.json", "--log-format", "xml"], Environment());
        var byConfiguration = await ProcessRunner.RunCliAsync(
            ["serve", "--store", "file:samples/dev-secrets.json", "--port", "0"], Environment(("Logging__Console__FormatterName", "xml")));

        Assert.Equal(2, byFlag.ExitCode);
        Assert.Equal("error: --log-format must be text or json, not 'xml'; see 'secretary serve --help'.", byFlag.Stderr.Trim());
        Assert.Equal(1, byConfiguration.ExitCode);
        Assert.Equal("The log format 'xml' isn't valid; use text or json.", byConfiguration.Stderr.Trim());
    }

    [Theory]
    [InlineData("flag")]
    [InlineData("configuration")]
    public async Task The_emulator_logs_json_on_stderr_line_by_line_and_its_banner_on_stdout(string how)
    {
        var seed = Path.Combine(_home, "seed.json");
        await File.WriteAllTextAsync(seed, JsonSerializer.Serialize(new Dictionary<string, string> { ["canary"] = Canary.Json }));
        string[] args = ["emulator", "--port", "0", "--seed", seed, "--log-level", "debug"];
        var (emulator, ready) = await ServerProcess.StartCliAsync(
            how == "flag" ? [.. args, "--log-format", "json"] : args,
            new Regex(@"emulator listening on (http://\S+)"),
            how == "flag" ? Environment() : Environment(("Logging__Console__FormatterName", "json")));
        await using var running = emulator;

        // A signed call: the emulator logs the operation and its outcome, never the value.
        var result = await ProcessRunner.RunAsync(
            "aws",
            ["secretsmanager", "get-secret-value", "--secret-id", "canary", "--endpoint-url", ready.Groups[1].Value.TrimEnd('/'), "--region", "us-east-1"],
            new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["HOME"] = _home, ["AWS_PROFILE"] = null });
        Assert.Equal(0, result.ExitCode);
        await emulator.WaitForLineAsync(new Regex("GetSecretValue"), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await emulator.TerminateAsync(TimeSpan.FromSeconds(30)));

        var lines = emulator.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _));
            Assert.True(entry.RootElement.TryGetProperty("State", out _) || entry.RootElement.TryGetProperty("Message", out _));
        }

        Assert.StartsWith("Secrets Manager emulator listening on ", emulator.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\"LogLevel\"", emulator.StandardOutput, StringComparison.Ordinal);
        Canary.AssertAbsent([emulator.StandardError, emulator.StandardOutput]);
    }
}
