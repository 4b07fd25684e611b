using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Secretary.Agent.Tests;

/// <summary>
/// What the agent promises beyond the AWS agent's own tests: forwarding and rebound names refused, client mistakes
/// answered 400/413 (never 500), the body and header limits, the cache routes behind the token, the order of checks
/// without a token, errors never masked by stale values when they must not be, one store call for concurrent
/// refreshNow, and the 10 s shutdown limit.
/// </summary>
public sealed class AgentHardeningTests
{
    private static async Task<string> RawAsync(AgentFixture f, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, f.Host.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static string Status(string answer) => answer.Split(' ', 3)[1];

    [Theory]
    [InlineData("X-Forwarded-For", "54.239.28.85")]
    [InlineData("Forwarded", "for=54.239.28.85")]
    [InlineData("X-Real-IP", "54.239.28.85")]
    [InlineData("X-Forwarded-Host", "example.com")]
    public async Task A_request_that_came_through_a_proxy_is_400_Forwarded(string header, string value)
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await f.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Forwarded", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, f.Store.Calls);
    }

    [Theory]
    [InlineData("attacker.example", "400")]
    [InlineData("attacker.example:2773", "400")]
    [InlineData("192.168.1.10", "400")]
    [InlineData("localhost", "200")]
    [InlineData("LOCALHOST:2773", "200")]
    [InlineData("127.0.0.1", "200")]
    [InlineData("127.1.2.3:80", "200")]
    [InlineData("[::1]:2773", "200")]
    public async Task Only_a_loopback_Host_is_answered_so_a_rebound_name_cannot_reach_the_agent(string host, string status)
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");

        var answer = await RawAsync(f, $"GET /v1/k HTTP/1.1\r\nHost: {host}\r\nX-Aws-Parameters-Secrets-Token: {AgentFixture.Token}\r\nConnection: close\r\n\r\n");

        Assert.Equal(status, Status(answer));
        if (status == "400")
        {
            Assert.EndsWith("Bad Host", answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Client_mistakes_on_warm_are_400_or_413_never_500()
    {
        await using var f = await AgentFixture.StartAsync();
        var head = $"POST /secrets-cache/warm HTTP/1.1\r\nHost: localhost\r\nX-Aws-Parameters-Secrets-Token: {AgentFixture.Token}\r\nConnection: close\r\n";

        var badChunk = await RawAsync(f, head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n0\r\n\r\n");
        var bigChunks = new StringBuilder(head + "Transfer-Encoding: chunked\r\n\r\n");
        for (var i = 0; i < 9; i++)
        {
            bigChunks.Append("2000\r\n").Append('x', 0x2000).Append("\r\n");
        }

        var tooBig = await RawAsync(f, bigChunks.Append("0\r\n\r\n").ToString());
        const string Surrogate = """{"secret_ids":["\ud800"]}""";
        var lone = await RawAsync(f, head + $"Content-Type: application/json\r\nContent-Length: {Surrogate.Length}\r\n\r\n{Surrogate}");

        Assert.Equal("400", Status(badChunk));
        Assert.Equal("413", Status(tooBig));
        Assert.Equal("400", Status(lone));
        Assert.Equal(0, f.Store.Calls);
    }

    [Fact]
    public async Task The_body_may_be_64_KiB_and_the_headers_32_KiB()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        var json = """{"secret_ids":["k"],"pad":""" + "\"" + new string(' ', 0) + "\"}";
        var padded = json.Replace("\"pad\":\"\"", "\"pad\":\"" + new string('x', (64 * 1024) - json.Length) + "\"", StringComparison.Ordinal);
        Assert.Equal(64 * 1024, padded.Length);

        using var atLimit = await f.Client.PostAsync("/secrets-cache/warm", new StringContent(padded));
        using var overLimit = await f.Client.PostAsync("/secrets-cache/warm", new StringContent(padded + " "));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        bigHeaders.Headers.Add("X-Padding", new string('x', 33 * 1024));
        using var tooManyHeaders = await f.Client.SendAsync(bigHeaders);
        using var smallHeaders = new HttpRequestMessage(HttpMethod.Get, "/v1/k");
        smallHeaders.Headers.Add("X-Padding", new string('x', 30 * 1024));
        using var fine = await f.Client.SendAsync(smallHeaders);

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooManyHeaders.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Nothing_about_the_cache_answers_without_the_token_unless_metrics_are_opened()
    {
        await using var closed = await AgentFixture.StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await closed.Anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await closed.Anonymous.GetAsync("/secrets-cache-stats")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await closed.Client.GetAsync("/metrics")).StatusCode);

        await using var open = await AgentFixture.StartAsync(o => o.MetricsWithoutToken = true);
        Assert.Equal(HttpStatusCode.OK, (await open.Anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await open.Anonymous.GetAsync("/secrets-cache-stats")).StatusCode);
    }

    [Theory]
    [InlineData("GET /nope HTTP/1.1", "", "403")]
    [InlineData("POST /nope HTTP/1.1", "", "403")]
    [InlineData("POST /v1/k HTTP/1.1", "", "403")]
    [InlineData("GET /nope HTTP/1.1", "X-Forwarded-For: 1.2.3.4\r\n", "400")]
    [InlineData("POST /ping HTTP/1.1", "", "405")]
    [InlineData("GET /ping HTTP/1.1", "X-Forwarded-For: 1.2.3.4\r\n", "200")]
    [InlineData("GET /secretsmanager/get?abc=1 HTTP/1.1", "", "403")]
    public async Task Without_a_token_the_checks_come_in_the_AWS_agents_order(string line, string headers, string status)
    {
        await using var f = await AgentFixture.StartAsync();

        var answer = await RawAsync(f, $"{line}\r\nHost: localhost\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(status, Status(answer));
    }

    [Fact]
    public async Task Concurrent_refreshNow_requests_share_one_store_call()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v1");
        await f.Client.GetAsync("/v1/k");
        f.Store.Set("k", "v2");
        f.Store.Block();
        var calls = f.Store.GetCalls;

        var refreshes = Enumerable.Range(0, 8).Select(_ => f.NewConnection()).Select(c => c.GetStringAsync("/v1/k?refreshNow=true")).ToList();
        await f.Store.WaitForCallsAsync(calls + 1);
        await f.WaitUntilAsync(() => f.Budget.Counted == 9); // every request has reached the agent
        f.Store.Release();
        var bodies = await Task.WhenAll(refreshes);

        Assert.All(bodies, b => Assert.Contains("\"SecretString\":\"v2\"", b, StringComparison.Ordinal));
        Assert.Equal(calls + 1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_permission_revoked_during_an_outage_is_answered_once_the_store_is_back()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v1");
        await f.Client.GetAsync("/v1/k");

        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, statusCode: 503);
        f.Time.Advance(TimeSpan.FromSeconds(301));
        using var duringOutage = await f.Client.GetAsync("/v1/k");
        Assert.Equal(HttpStatusCode.OK, duringOutage.StatusCode); // stale, as the AWS agent serves it

        f.Store.Fault = r => new SecretAccessDeniedException(r.SecretId, "User is not authorized to perform secretsmanager:GetSecretValue", "AccessDeniedException", 400);
        f.Time.Advance(TimeSpan.FromMilliseconds(100)); // the store answers again; the first read after must see the revocation
        using var afterOutage = await f.Client.GetAsync("/v1/k");

        Assert.Equal(HttpStatusCode.BadRequest, afterOutage.StatusCode);
        Assert.Equal("""{"__type":"AccessDeniedException", "message":"User is not authorized to perform secretsmanager:GetSecretValue"}""", await afterOutage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ignore_transient_errors_false_answers_the_error_instead_of_the_cached_value()
    {
        await using var f = await AgentFixture.StartAsync(o => o.IgnoreTransientErrors = false);
        f.Store.Set("k", "v1");
        await f.Client.GetAsync("/v1/k");
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);
        f.Time.Advance(TimeSpan.FromSeconds(301));

        using var response = await f.Client.GetAsync("/v1/k");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("""{"__type":"ConnectionError", "message":"Read Error"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ttl_seconds_0_asks_the_store_on_every_read()
    {
        await using var f = await AgentFixture.StartAsync(o => o.TtlSeconds = 0);
        f.Store.Set("k", "v1");

        for (var i = 0; i < 3; i++)
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(HttpStatusCode.OK, (await f.Client.GetAsync("/v1/k")).StatusCode);
        }

        Assert.Equal(3, f.Store.GetCalls);
    }

    [Fact]
    public async Task Empty_versionStage_and_long_ids_are_the_services_ValidationException()
    {
        await using var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v1");

        using var stage = await f.Client.GetAsync("/secretsmanager/get?secretId=k&versionStage=");
        using var id = await f.Client.GetAsync("/secretsmanager/get?secretId=" + new string('a', 3000));

        Assert.Equal(HttpStatusCode.BadRequest, stage.StatusCode);
        Assert.Contains("\"__type\":\"ValidationException\"", await stage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("'versionStage'", await stage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, id.StatusCode);
        Assert.Contains("'secretId' failed to satisfy constraint: Member must have length less than or equal to 2048", await id.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_ends_within_the_10_second_limit_even_with_a_read_that_never_finishes()
    {
        var f = await AgentFixture.StartAsync();
        f.Store.Set("k", "v");
        f.Store.Hang = true;
        f.Store.IgnoreCancellation = true;
        var hung = f.Client.GetAsync("/v1/k");
        await f.Store.WaitForCallsAsync(1);

        var stopping = f.Host.StopAsync();
        var finished = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(stopping, finished); // the host gave up on the hung request after its shutdown timeout
        Assert.False(hung.IsCompletedSuccessfully && hung.Result.IsSuccessStatusCode);
        await f.DisposeAsync();
    }
}
