using System.Net;

namespace Secretary.Agent.Tests;

/// <summary>
/// Runs alone: an OpenTelemetry meter provider listens to every meter named <c>Secretary</c> in the process, so the
/// cache of another test's agent running at the same time (same cache name, same tags) would be read in its place.
/// </summary>
[Collection(nameof(MetricsReadAlone))]
public sealed class AgentObservabilityTests
{
    [Fact]
    public async Task Metrics_parse_as_prometheus_text_with_cache_store_and_request_families()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("surgicase/main", "x");
        await f.Client.GetAsync("/v1/surgicase/main");
        await f.Client.GetAsync("/v1/surgicase/main");
        await f.Client.GetAsync("/v1/surgicase/missing");

        // A request is counted once its answer is written, so the client may see the answer first: scrape until it shows.
        var text = string.Empty;
        IReadOnlyList<PrometheusText.Sample> samples = [];
        await f.WaitUntilAsync(() =>
        {
            text = f.Client.GetStringAsync("/metrics").GetAwaiter().GetResult();
            samples = PrometheusText.Parse(text);
            return samples.Any(IsTwoPathFormReads);
        });

        Assert.Equal(1, samples.Single(s => s.Name == "secretary_cache_hits_total").Value);
        Assert.Equal(2, samples.Single(s => s.Name == "secretary_cache_misses_total").Value);
        Assert.Contains(samples, s => s.Name == "secretary_store_calls_total" && s.Labels["outcome"] == "success" && s.Labels["operation"] == "GetSecretValue");
        Assert.Contains(samples, s => s.Name == "secretary_store_calls_total" && s.Labels["outcome"] == "not_found");
        Assert.Contains(samples, s => s.Name == "secretary_store_duration_seconds_bucket");
        Assert.Contains(samples, IsTwoPathFormReads);
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_response_status_code") == "400");
        Assert.Contains(samples, s => s.Name == "secretary_cache_entries");
        Assert.DoesNotContain("surgicase", text, StringComparison.Ordinal);

        // ASP.NET Core's own request metric, named by the route template (never the id) and the status.
        static bool IsTwoPathFormReads(PrometheusText.Sample s) =>
            s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/v1/{secretId}"
            && s.Labels.GetValueOrDefault("http_response_status_code") == "200" && s.Value == 2;
    }

    [Fact]
    public async Task Canary_values_never_reach_the_agents_logs()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("json", Canary.Json);
        f.Store.Set("plain", Canary.Value);

        Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync("/v1/json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync("/secretsmanager/get?secretId=plain&refreshNow=true")).StatusCode);
        await f.Client.GetAsync("/v1/missing");
        await f.Client.PostAsync("/secrets-cache/warm?secretId=json&secretId=plain", null);
        var stats = await f.Client.GetStringAsync("/secrets-cache-stats");
        var metrics = await f.Client.GetStringAsync("/metrics");

        Assert.NotEmpty(f.LogLines);
        Canary.AssertAbsent([.. f.LogLines, stats, metrics]);
        Assert.DoesNotContain(f.LogLines, line => line.Contains(AgentFixture.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_token_file_is_picked_up()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        var file = Path.Combine(f.Directory, "token");

        await File.WriteAllTextAsync(file, "rotated-token-value");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
        f.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.Forbidden, (await f.Client.GetAsync("/v1/k")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", "rotated-token-value");
        Assert.Equal(HttpStatusCode.OK, (await f.Anonymous.SendAsync(request)).StatusCode);
    }
}

[CollectionDefinition(nameof(MetricsReadAlone), DisableParallelization = true)]
public sealed class MetricsReadAlone;
