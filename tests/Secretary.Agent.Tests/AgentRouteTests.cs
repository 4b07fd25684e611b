using System.Net;
using System.Text.Json;

namespace Secretary.Agent.Tests;

public sealed class AgentRouteTests
{
    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task The_query_form_answers_the_GetSecretValue_shape()
    {
        await using var f = await AgentFixture.StartAsync();
        var secret = f.Store.Set("surgicase/main", """{"COMPRESSION_MODE":"normal"}""");

        using var response = await f.Client.GetAsync("/secretsmanager/get?secretId=surgicase/main");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await JsonOf(response);
        Assert.Equal(secret.Arn, json.GetProperty("ARN").GetString());
        Assert.Equal("surgicase/main", json.GetProperty("Name").GetString());
        Assert.Equal(secret.VersionId, json.GetProperty("VersionId").GetString());
        Assert.Equal("""{"COMPRESSION_MODE":"normal"}""", json.GetProperty("SecretString").GetString());
        Assert.Equal("AWSCURRENT", json.GetProperty("VersionStages")[0].GetString());
        Assert.False(response.Headers.Contains("X-Secretary-Stale"));
    }

    [Fact]
    public async Task The_path_form_takes_names_with_slashes_and_does_not_decode_them()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("surgicase/ses_keys", "x");
        var asked = new System.Collections.Concurrent.ConcurrentBag<string>();
        f.Store.BeforeAnswer = (r, _) =>
        {
            asked.Add(r.SecretId);
            return Task.CompletedTask;
        };

        using var response = await f.Client.GetAsync("/v1/surgicase/ses_keys");
        using var encoded = await f.Client.GetAsync("/v1/surgicase%2Fses_keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("surgicase/ses_keys", (await JsonOf(response)).GetProperty("Name").GetString());

        // As the AWS agent: the path is passed on as sent, so the store is asked for "surgicase%2Fses_keys".
        Assert.Equal(HttpStatusCode.BadRequest, encoded.StatusCode);
        Assert.Equal("ResourceNotFoundException", (await JsonOf(encoded)).GetProperty("__type").GetString());
        Assert.Contains("surgicase%2Fses_keys", asked);
    }

    [Fact]
    public async Task Versions_and_stages_are_passed_through()
    {
        await using var f = await AgentFixture.StartAsync();
        var v1 = f.Store.Set("k", "one");
        f.Store.Set("k", "two");

        var previous = await JsonOf(await f.Client.GetAsync("/secretsmanager/get?secretId=k&versionStage=AWSPREVIOUS"));
        var byId = await JsonOf(await f.Client.GetAsync($"/v1/k?versionId={v1.VersionId}"));

        Assert.Equal("one", previous.GetProperty("SecretString").GetString());
        Assert.Equal("one", byId.GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task Binary_secrets_come_back_base64()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.SetBinary("bin", [1, 2, 3, 250]);

        var json = await JsonOf(await f.Client.GetAsync("/v1/bin"));

        Assert.Equal(Convert.ToBase64String(new byte[] { 1, 2, 3, 250 }), json.GetProperty("SecretBinary").GetString());
        Assert.False(json.TryGetProperty("SecretString", out _));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Forbidden)]
    [InlineData("wrong-token", HttpStatusCode.Forbidden)]
    [InlineData(AgentFixture.Token + "x", HttpStatusCode.Forbidden)]
    [InlineData(AgentFixture.Token, HttpStatusCode.OK)]
    public async Task The_token_is_required(string? token, HttpStatusCode expected)
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        if (token is not null)
        {
            request.Headers.Add("X-Aws-Parameters-Secrets-Token", token);
        }

        using var response = await f.Anonymous.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("Bad Token", await response.Content.ReadAsStringAsync());
            Assert.Equal(0, f.Store.Calls);
        }
    }

    [Fact]
    public async Task X_Vault_Token_works_and_the_header_list_is_configurable()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        using var vault = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        vault.Headers.Add("X-Vault-Token", AgentFixture.Token);
        Assert.Equal(HttpStatusCode.OK, (await f.Anonymous.SendAsync(vault)).StatusCode);

        await using var custom = await AgentFixture.StartAsync(o => o.SsrfHeaders = ["X-My-Token"]);
        custom.Store.Set("k", "v");
        using var mine = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        mine.Headers.Add("X-My-Token", AgentFixture.Token);
        Assert.Equal(HttpStatusCode.OK, (await custom.Anonymous.SendAsync(mine)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await custom.Client.GetAsync("/v1/k")).StatusCode);
    }

    [Fact]
    public async Task A_forwarded_request_is_refused_even_with_the_token()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        request.Headers.Add("X-Forwarded-For", "10.0.0.1");

        using var response = await f.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, f.Store.Calls);
    }

    [Theory]
    [InlineData("/secretsmanager/get?secretId=k&foo=1", "unknown parameter: foo")]
    [InlineData("/secretsmanager/get?secretId=k&secretid=k", "unknown parameter: secretid")]
    [InlineData("/secretsmanager/get", "missing parameter secretId")]
    [InlineData("/secretsmanager/get?secretId=", "missing parameter secretId")]
    [InlineData("/secretsmanager/get?&versionStage=AWSPENDING", "missing parameter secretId")]
    [InlineData("/secretsmanager/get?secretId=k&refreshNow=maybe", "invalid refreshNow value")]
    [InlineData("/secretsmanager/get?secretId=k&refreshNow=", "invalid refreshNow value")]
    [InlineData("/secretsmanager/get?abc=1&refreshNow=maybe", "unknown parameter: abc")]
    [InlineData("/secretsmanager/get?refreshNow=maybe&abc=1", "invalid refreshNow value")]
    [InlineData("/v1/k?secretId=k", "unknown parameter: secretId")]
    [InlineData("/v1/", "missing secret ID")]
    [InlineData("/v1/?versionId=x&abc=1", "missing secret ID")]
    public async Task Bad_query_strings_are_400s_with_the_AWS_agents_plain_text(string url, string message)
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");

        using var response = await f.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, f.Store.Calls);
    }

    [Theory]
    [InlineData("POST", "/v1/k")]
    [InlineData("PUT", "/secretsmanager/get?secretId=k")]
    [InlineData("DELETE", "/v1/k")]
    [InlineData("GET", "/secrets-cache/clear")]
    public async Task Wrong_methods_are_405s(string method, string url)
    {
        await using var f = await AgentFixture.StartAsync();

        using var response = await f.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_are_404s_after_the_token_check()
    {
        await using var f = await AgentFixture.StartAsync();

        using var missing = await f.Client.GetAsync("/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Not found", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await f.Client.GetAsync("/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Anonymous.GetAsync("/nope")).StatusCode);
    }

    [Fact]
    public async Task Health_routes_need_no_token()
    {
        await using var f = await AgentFixture.StartAsync();

        using var ping = await f.Anonymous.GetAsync("/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal("healthy", await ping.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await f.Anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await f.Anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Anonymous.GetAsync("/secrets-cache-stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.Anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Max_conn_counts_open_connections_that_carried_the_token_idle_ones_included()
    {
        await using var f = await AgentFixture.StartAsync(o => o.MaxConn = 2);
        f.Store.Set("k", "v");

        // Requests without the token never take a max_conn slot (a local user without it cannot use them up).
        var strangers = Enumerable.Range(0, 5).Select(_ => f.NewConnection(token: false)).ToList();
        foreach (var stranger in strangers)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync("/v1/k")).StatusCode);
        }

        Assert.Equal(0, f.Budget.Counted);
        using var one = f.NewConnection();
        using var two = f.NewConnection();
        Assert.Equal(HttpStatusCode.OK, (await one.GetAsync("/v1/k")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await two.GetAsync("/v1/k")).StatusCode);

        // Both connections are idle now, and still count: a third is refused, as by the AWS agent.
        using var three = f.NewConnection();
        using var refused = await three.GetAsync("/v1/k");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("Connection limit exceeded", await refused.Content.ReadAsStringAsync());

        // Health checks keep their headroom: three /ping at once, each on a connection of its own.
        var pings = Enumerable.Range(0, 3).Select(_ => f.NewConnection(token: false)).ToList();
        var answers = await Task.WhenAll(pings.Select(p => p.GetAsync("/ping")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        pings.ForEach(p => p.Dispose());

        // When the slots are taken, any other request is 429 first, as the AWS agent checks the limit before the token.
        Assert.Equal((HttpStatusCode)429, (await strangers[0].GetAsync("/v1/k")).StatusCode);
        strangers.ForEach(s => s.Dispose());
        Assert.Equal(2, f.Budget.Counted);

        // Closing one of the two frees its slot.
        one.Dispose();
        await f.WaitUntilAsync(() => f.Budget.Counted == 1);
        Assert.Equal(HttpStatusCode.OK, (await three.GetAsync("/v1/k")).StatusCode);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task Many_new_connections_with_the_token_at_once_are_not_held_to_the_budget_of_requests_without_it()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        f.Store.Block();
        var clients = Enumerable.Range(0, 100).Select(_ => f.NewConnection()).ToList();

        var reads = clients.Select(c => c.GetAsync("/v1/k")).ToList(); // all in flight together: more than the 64 of that budget
        await f.WaitUntilAsync(() => f.Budget.Counted == 100);
        f.Store.Release();
        var answers = await Task.WhenAll(reads);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Requests_in_flight_count_with_their_connections()
    {
        await using var f = await AgentFixture.StartAsync(o => o.MaxConn = 1);
        f.Store.Set("k", "v");
        f.Store.Block();
        using var slow = f.NewConnection();
        var first = slow.GetAsync("/v1/k");
        await f.Store.WaitForCallsAsync(1);

        using var other = f.NewConnection();
        Assert.Equal((HttpStatusCode)429, (await other.GetAsync("/v1/k")).StatusCode);

        f.Store.Release();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    public static TheoryData<string, int, string> StoreErrors => new()
    {
        { "notfound", 400, "ResourceNotFoundException" },
        { "denied", 400, "AccessDeniedException" },
        { "deleted", 400, "InvalidRequestException" },
        { "throttled", 400, "ThrottlingException" },
        { "network", 502, "ConnectionError" },
        { "server", 500, "InternalFailure" },
        { "unavailable503", 503, "ServiceUnavailable" },
    };

    [Theory]
    [MemberData(nameof(StoreErrors))]
    public async Task Store_errors_map_to_the_AWS_agents_statuses(string kind, int status, string type)
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Fault = r => kind switch
        {
            "notfound" => new SecretNotFoundException(r.SecretId),
            "denied" => new SecretAccessDeniedException(r.SecretId),
            "deleted" => new SecretRequestException(r.SecretId, "The secret is marked for deletion."),
            "throttled" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Throttled, statusCode: 400, errorCode: "ThrottlingException"),
            "network" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network),
            "unavailable503" => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, statusCode: 503, errorCode: "ServiceUnavailable"),
            _ => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError),
        };

        using var response = await f.Client.GetAsync("/v1/k");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(type, (await JsonOf(response)).GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_hung_store_is_a_504_after_the_store_timeout()
    {
        await using var f = await AgentFixture.StartAsync(o => o.StoreTimeoutSeconds = 2);
        f.Store.Hang = true;

        var pending = f.Client.GetAsync("/v1/k");
        await f.Store.WaitForCallsAsync(1);
        f.Time.Advance(TimeSpan.FromSeconds(2));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("TimeoutError", (await JsonOf(response)).GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_rotation_shows_after_the_ttl_and_at_once_with_refreshNow()
    {
        await using var f = await AgentFixture.StartAsync(o => o.TtlSeconds = 60);
        f.Store.Set("k", "v1");
        Assert.Equal("v1", (await JsonOf(await f.Client.GetAsync("/v1/k"))).GetProperty("SecretString").GetString());
        f.Store.Set("k", "v2");

        Assert.Equal("v1", (await JsonOf(await f.Client.GetAsync("/v1/k"))).GetProperty("SecretString").GetString());
        Assert.Equal("v2", (await JsonOf(await f.Client.GetAsync("/v1/k?refreshNow=true"))).GetProperty("SecretString").GetString());
        Assert.Equal("v2", (await JsonOf(await f.Client.GetAsync("/v1/k"))).GetProperty("SecretString").GetString());

        f.Store.Set("k", "v3");
        f.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("v3", (await JsonOf(await f.Client.GetAsync("/secretsmanager/get?secretId=k"))).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task A_failed_refreshNow_returns_the_error_and_keeps_the_cached_value()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v1");
        await f.Client.GetAsync("/v1/k");
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);

        using var refresh = await f.Client.GetAsync("/v1/k?refreshNow=true");
        using var after = await f.Client.GetAsync("/v1/k");

        Assert.Equal(HttpStatusCode.BadGateway, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("v1", (await JsonOf(after)).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task During_an_outage_the_stale_value_is_a_200_marked_stale_with_its_age()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v1");
        await f.Client.GetAsync("/v1/k");
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, statusCode: 503);
        f.Time.Advance(TimeSpan.FromSeconds(301));

        using var response = await f.Client.GetAsync("/v1/k");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("X-Secretary-Stale").Single());
        Assert.Equal(TimeSpan.FromSeconds(301), response.Headers.Age);
        Assert.Equal("v1", (await JsonOf(response)).GetProperty("SecretString").GetString());
    }

    [Fact]
    public async Task Readiness_waits_for_the_required_secrets()
    {
        var store = new FakeSecretStore();
        store.Set("a", "1");
        await using var f = await AgentFixture.StartAsync(o => o.RequiredSecrets = ["a", "b"], store);
        var readiness = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Internals.ReadinessState>(f.Host.Services);
        await f.WaitUntilAsync(() => readiness.Missing == 1); // the first warm-up has reported

        using var warming = await f.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, warming.StatusCode);
        Assert.Equal(1, (await JsonOf(warming)).GetProperty("missing_secrets").GetInt32());

        // Without the token: ready or not, and nothing about the cache.
        using var anonymous = await f.Anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode);
        Assert.False((await JsonOf(anonymous)).TryGetProperty("missing_secrets", out _));

        f.Store.Set("b", "2");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            f.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Yield();
            status = (await f.Anonymous.GetAsync("/readyz")).StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task The_stats_route_serves_the_stats_document_without_names()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("surgicase/main", "x");
        await f.Client.GetAsync("/v1/surgicase/main");
        await f.Client.GetAsync("/v1/surgicase/main");

        var body = await f.Client.GetStringAsync("/secrets-cache-stats");
        using var json = JsonDocument.Parse(body);

        Assert.Equal(1, json.RootElement.GetProperty("cached_secrets_count").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("hits").GetInt64());
        Assert.Equal(1000, json.RootElement.GetProperty("max_entries").GetInt32());
        Assert.Equal("very_fresh", json.RootElement.GetProperty("cache_efficiency").GetProperty("cache_status").GetString());
        Assert.DoesNotContain("surgicase", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_routes_clear_and_warm_with_the_token()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("a", "1");
        f.Store.Set("b", "2");

        Assert.Equal(HttpStatusCode.Forbidden, (await f.Anonymous.PostAsync("/secrets-cache/warm?secretId=a", null)).StatusCode);
        using var warm = await f.Client.PostAsync("/secrets-cache/warm?secretId=a&secretId=b", null);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal(2, (await JsonOf(warm)).GetProperty("successful").GetInt32());
        Assert.Equal(1, f.Store.BatchCalls);

        using var body = await f.Client.PostAsync("/secrets-cache/warm", new StringContent("""{"secret_ids":["a"]}"""));
        Assert.Equal(1, (await JsonOf(body)).GetProperty("total_secrets").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await f.Client.PostAsync("/secrets-cache/warm", new StringContent("{oops"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await f.Client.PostAsync("/secrets-cache/clear?secretId=a", null)).StatusCode);
        Assert.Equal(1, f.Host.Cache.GetStats().TotalCacheEntries);
        Assert.Equal(HttpStatusCode.OK, (await f.Client.PostAsync("/secrets-cache/clear", null)).StatusCode);
        Assert.Equal(0, f.Host.Cache.GetStats().TotalCacheEntries);
    }

    [Fact]
    public async Task In_flight_requests_finish_during_a_graceful_stop()
    {
        var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        f.Store.Block();
        var pending = f.Client.GetAsync("/v1/k");
        await f.Store.WaitForCallsAsync(1);

        var stopping = f.Host.StopAsync();
        f.Store.Release();
        using var response = await pending;
        await stopping;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await f.DisposeAsync();
    }
}
