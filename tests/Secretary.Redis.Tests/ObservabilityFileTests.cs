using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Redis.Tests;

/// <summary>
/// deploy/observability: every metric the Grafana dashboard and the Prometheus alert rules name exists in the
/// <c>/metrics</c> output of a real agent (<c>secretary serve --redis</c>, so the backplane's metrics are there too).
/// </summary>
public sealed partial class ObservabilityFileTests : IDisposable
{
    private const string Token = "observability-test-token";

    private readonly string _home = Directory.CreateTempSubdirectory("secretary-observability-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static string Folder => Path.Combine(RepoRoot.Path, "deploy", "observability");

    [GeneratedRegex(@"agent: (http://\S+)")]
    private static partial Regex AgentLine();

    // A PromQL metric name: an identifier not followed by "(" (a function) and not a label, keyword or grouping.
    [GeneratedRegex(@"\b((?:secretary|http_server)_[a-z0-9_]+)\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^\s*expr:\s*(\|)?\s*(.*)$")]
    private static partial Regex ExprLine();

    /// <summary>Every PromQL expression of the dashboard (targets and template queries).</summary>
    private static List<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json")));
        var expressions = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            expressions.AddRange(panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
        }

        expressions.AddRange(dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => v.GetProperty("query").GetString()!));
        return expressions;
    }

    /// <summary>Every rule's <c>expr</c> of the alert file, block scalars included.</summary>
    private static List<(string Alert, string Expr)> AlertExpressions()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "prometheus-alerts.yml"));
        var rules = new List<(string, string)>();
        string? alert = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (Regex.Match(lines[i], @"^\s*- alert:\s*(\S+)") is { Success: true } name)
            {
                alert = name.Groups[1].Value;
            }

            if (ExprLine().Match(lines[i]) is not { Success: true } expr)
            {
                continue;
            }

            var text = expr.Groups[2].Value;
            if (expr.Groups[1].Success)
            {
                var indent = lines[i].IndexOf("expr", StringComparison.Ordinal);
                for (; i + 1 < lines.Length && (lines[i + 1].Length == 0 || lines[i + 1].TakeWhile(char.IsWhiteSpace).Count() > indent); i++)
                {
                    text += "\n" + lines[i + 1];
                }
            }

            rules.Add((alert ?? "?", text));
        }

        return rules;
    }

    [Fact]
    public void The_files_cover_what_an_operator_watches()
    {
        var alerts = AlertExpressions();
        Assert.Equal(["SecretaryServingStale", "SecretaryStoreErrors", "SecretaryBackplaneDown", "SecretaryHitRatioCollapse"], alerts.Select(a => a.Alert));
        Assert.Contains("for: 5m", File.ReadAllText(Path.Combine(Folder, "prometheus-alerts.yml")), StringComparison.Ordinal);

        var names = DashboardExpressions().SelectMany(e => MetricName().Matches(e).Select(m => m.Groups[1].Value)).ToHashSet();
        foreach (var watched in new[]
        {
            "secretary_cache_hits_total", "secretary_cache_misses_total", "secretary_store_calls_total", "secretary_cache_stale_served_total",
            "secretary_store_duration_seconds_bucket", "secretary_cache_entries", "secretary_backplane_connected", "http_server_request_duration_seconds_count",
        })
        {
            Assert.Contains(watched, names);
        }
    }

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_name_is_in_the_agents_metrics()
    {
        await using var redis = await RedisServer.StartAsync();
        var secrets = Path.Combine(_home, "secrets.json");
        await File.WriteAllTextAsync(secrets, """{"app/db": "first"}""");
        var environment = new Dictionary<string, string?> { ["HOME"] = _home, ["SECRETARY_TOKEN"] = Token, ["XDG_RUNTIME_DIR"] = null };
        var (agent, ready) = await ServerProcess.StartCliAsync(
            ["serve", "--store", "file:" + secrets, "--port", "0", "--redis", redis.Configuration], AgentLine(), environment);
        await using var running = agent;
        var url = ready.Groups[1].Value;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

        async Task<(int Status, string Body)> SendAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url + path);
            request.Headers.Add("X-Aws-Parameters-Secrets-Token", Token);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        async Task<int> GetAsync(string path) => (await SendAsync(path)).Status;

        // A miss, a hit, a store call that finds nothing, a new version (published on the backplane), and a message
        // received from another instance (the CLI's invalidate).
        Assert.Equal(200, await GetAsync("/v1/app/db"));
        Assert.Equal(200, await GetAsync("/v1/app/db"));
        Assert.Equal(400, await GetAsync("/v1/no/such"));
        await File.WriteAllTextAsync(secrets, """{"app/db": "second"}""");
        Assert.Equal(200, await GetAsync("/secretsmanager/get?secretId=app/db&refreshNow=true"));
        var invalidate = await ProcessRunner.RunCliAsync(["invalidate", "app/other", "--redis", redis.Configuration], environment);
        Assert.Equal(0, invalidate.ExitCode);

        var referenced = DashboardExpressions().Concat(AlertExpressions().Select(a => a.Expr))
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        HashSet<string> exposed = [];
        await Eventually.TrueAsync(
            async () =>
            {
                var (status, text) = await SendAsync("/metrics");
                Assert.Equal(200, status);
                exposed = text.Split('\n')
                    .Where(line => line.Length > 0 && line[0] != '#')
                    .Select(line => line[..line.IndexOfAny(['{', ' '])])
                    .ToHashSet(StringComparer.Ordinal);
                return referenced.All(exposed.Contains);
            },
            "every referenced metric on /metrics",
            TimeSpan.FromSeconds(30));

        Assert.Empty(referenced.Where(name => !exposed.Contains(name)));
        Assert.True(referenced.Count >= 15, string.Join(", ", referenced));
    }
}
