using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Secretary.Agent.Tests;

/// <summary>
/// The AWS Secrets Manager Agent's own request tests, replayed against Secretary's agent: each case of its server tests
/// (ping, paths, parameters, versions, tokens, forwarding, verbs, max_conn) with the statuses and bodies it asserts, over
/// a store that answers as its test stub does (name in, "hunter2" out, the stage or version asked for echoed back).
/// </summary>
public sealed class AwsContractTests
{
    private const string DefaultVersion = "5767290c-d089-49ed-b97c-17086f8c9d79";
    private const string FakeArn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:{0}-NhBWsc";

    private readonly StubStore _stub = new();

    private Task<AgentFixture> StartAsync(Action<SecretaryAgentOptions>? configure = null) => AgentFixture.StartAsync(configure, _stub);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path, string method = "GET")
    {
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertSecret(string body, string name, string version = DefaultVersion, string stage = "AWSCURRENT")
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, FakeArn, name), root.GetProperty("ARN").GetString());
        Assert.Equal(name, root.GetProperty("Name").GetString());
        Assert.Equal(version, root.GetProperty("VersionId").GetString());
        Assert.Equal("hunter2", root.GetProperty("SecretString").GetString());
        Assert.Equal("1569534789.046", root.GetProperty("CreatedDate").GetString()); // epoch seconds, as a string
        Assert.Equal([stage], root.GetProperty("VersionStages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate"], root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Ping_answers_healthy_with_and_without_the_token()
    {
        await using var f = await StartAsync();

        Assert.Equal((HttpStatusCode.OK, "healthy"), await GetAsync(f.Client, "/ping"));
        Assert.Equal((HttpStatusCode.OK, "healthy"), await GetAsync(f.Anonymous, "/ping"));
    }

    [Theory]
    [InlineData("/pong", 404, "Not found")]
    [InlineData("/secretsmanager/get", 400, "missing parameter secretId")]
    [InlineData("/v1/", 400, "missing secret ID")]
    [InlineData("/secretsmanager/get?secretId=MyTest&versionStage=AWSPENDING&abc=XXXXXXXXXXXX", 400, "unknown parameter: abc")]
    [InlineData("/v1/MyTest?versionStage=AWSPENDING&abc=XXXXXXXXXXXX", 400, "unknown parameter: abc")]
    [InlineData("/secretsmanager/get?versionStage=AWSPENDING", 400, "missing parameter secretId")]
    [InlineData("/secretsmanager/get?secretId=MyTest&versionId=myversion&versionStage=dev&refreshNow=123", 400, "invalid refreshNow value")]
    public async Task Refusals_have_the_AWS_agents_statuses_and_plain_text(string path, int status, string body)
    {
        await using var f = await StartAsync();

        var (actualStatus, actualBody) = await GetAsync(f.Client, path);

        Assert.Equal(status, (int)actualStatus);
        Assert.Equal(body, actualBody);
        Assert.Equal(0, _stub.Calls);
    }

    [Theory]
    [InlineData("/secretsmanager/get?secretId=MyTest", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/secretsmanager/get?secretId=MyTest&refreshNow=1", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/secretsmanager/get?secretId=MyTest&refreshNow=FALSE", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/secretsmanager/get?secretId=MyTest&refreshNow=True", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/secretsmanager/get?secretId=MyTest&versionStage=AWSPENDING", "MyTest", DefaultVersion, "AWSPENDING")]
    [InlineData("/secretsmanager/get?secretId=MyTest&versionId=11111", "MyTest", "11111", "AWSCURRENT")]
    [InlineData("/secretsmanager/get?secretId=MyTest&versionStage=AWSPENDING&versionId=000000000000&refreshNow=true", "MyTest", "000000000000", "AWSPENDING")]
    [InlineData("/secretsmanager/get?secretId=Other&secretId=MyTest", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/v1/MyTest", "MyTest", DefaultVersion, "AWSCURRENT")]
    [InlineData("/v1/My/Test?versionStage=AWSPENDING", "My/Test", DefaultVersion, "AWSPENDING")]
    [InlineData("/v1/My/Test?versionStage=AWSPENDING&refreshNow=0", "My/Test", DefaultVersion, "AWSPENDING")]
    [InlineData("/v1/My/Test?versionId=11111", "My/Test", "11111", "AWSCURRENT")]
    [InlineData("/v1/My/Test?versionStage=AWSPENDING&versionId=000000000000&refreshNow=true", "My/Test", "000000000000", "AWSPENDING")]
    public async Task Reads_answer_the_AWS_agents_GetSecretValue_document(string path, string name, string version, string stage)
    {
        await using var f = await StartAsync();

        var (status, body) = await GetAsync(f.Client, path);

        Assert.Equal(HttpStatusCode.OK, status);
        AssertSecret(body, name, version, stage);
    }

    [Fact]
    public async Task The_path_form_takes_the_alternate_token_header()
    {
        await using var f = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/MyTest");
        request.Headers.Add("X-Vault-Token", AgentFixture.Token);

        using var response = await f.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecret(await response.Content.ReadAsStringAsync(), "MyTest");
    }

    [Theory]
    [InlineData("KMSACCESSDENIEDTest", 400, """{"__type":"AccessDeniedException", "message":"Access to KMS is not allowed"}""")]
    [InlineData("OTHERERRORTest", 400, """{"__type":"InvalidSignatureException", "message":"The request signature we calculated does not match ..."}""")]
    [InlineData("NOMESSAGETest", 500, """{"__type":"InternalFailure"}""")]
    public async Task Store_errors_are_the_services_type_and_message_with_its_status(string name, int status, string body)
    {
        await using var f = await StartAsync();

        var (actualStatus, actualBody) = await GetAsync(f.Client, "/secretsmanager/get?secretId=" + name);

        Assert.Equal(status, (int)actualStatus);
        Assert.Equal(body, actualBody);
    }

    [Fact]
    public async Task RefreshNow_reads_the_store_again()
    {
        await using var f = await StartAsync();
        var stub = _stub;

        var first = await GetAsync(f.Client, "/secretsmanager/get?secretId=REFRESHNOWtestsecret");
        var second = await GetAsync(f.Client, "/secretsmanager/get?secretId=REFRESHNOWtestsecret");
        var third = await GetAsync(f.Client, "/secretsmanager/get?secretId=REFRESHNOWtestsecret&refreshNow=true");

        Assert.Equal(first.Body, second.Body);
        Assert.NotEqual(second.Body, third.Body);
        Assert.Equal(2, stub.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("click slipers")]
    public async Task A_missing_or_wrong_token_is_403_Bad_Token(string? token)
    {
        await using var f = await StartAsync();
        foreach (var path in new[] { "/secretsmanager/get?secretId=MyTest", "/v1/MyTest", "/secretsmanager/get?secretId=MyTest&refreshNow=true" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Add("X-Vault-Token", token);
            }

            using var response = await f.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Bad Token", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, _stub.Calls);
    }

    [Fact]
    public async Task X_Forwarded_For_is_400_Forwarded_before_the_token_check()
    {
        await using var f = await StartAsync();
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/secretsmanager/get?secretId=MyTest");
        withToken.Headers.Add("X-Vault-Token", AgentFixture.Token);
        withToken.Headers.Add("X-Forwarded-For", "54.239.28.85");
        using var withoutToken = new HttpRequestMessage(HttpMethod.Get, "/secretsmanager/get?secretId=MyTest");
        withoutToken.Headers.Add("X-Forwarded-For", "54.239.28.85");
        using var ping = new HttpRequestMessage(HttpMethod.Get, "/ping");
        ping.Headers.Add("X-Forwarded-For", "54.239.28.85");

        using var a = await f.Anonymous.SendAsync(withToken);
        using var b = await f.Anonymous.SendAsync(withoutToken);
        using var c = await f.Anonymous.SendAsync(ping);

        Assert.Equal((HttpStatusCode.BadRequest, "Forwarded"), (a.StatusCode, await a.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.BadRequest, "Forwarded"), (b.StatusCode, await b.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, c.StatusCode); // /ping is exempt, as with the AWS agent
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    public async Task Every_verb_but_GET_is_405_Not_allowed_after_the_token_check(string verb)
    {
        await using var f = await StartAsync();
        foreach (var path in new[] { "/secretsmanager/get?secretId=MyTest", "/v1/MyTest", "/ping", "/no/such/path" })
        {
            var (status, body) = await GetAsync(f.Client, path, verb);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
            if (verb != "HEAD")
            {
                Assert.Equal("Not allowed", body);
            }
        }

        // Without the token, the token check comes first (but /ping needs none).
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(f.Anonymous, "/v1/MyTest", verb)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await GetAsync(f.Anonymous, "/ping", verb)).Status);
        Assert.Equal(0, _stub.Calls);
    }

    [Fact]
    public async Task Max_conn_refuses_a_second_connection_while_the_first_is_open_and_ping_passes()
    {
        await using var f = await StartAsync(o => o.MaxConn = 1);
        var stub = _stub;
        stub.Block();
        using var sleepy = f.NewConnection();
        var first = sleepy.GetStringAsync("/secretsmanager/get?secretId=SleepyTest_6");
        await stub.Entered.Task;

        using var second = f.NewConnection();
        using var refused = await second.GetAsync("/secretsmanager/get?secretId=MyTest");
        using var ping = f.NewConnection();
        using var healthy = await ping.GetAsync("/ping");

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("Connection limit exceeded", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        stub.Release();
        AssertSecret(await first, "SleepyTest_6");

        sleepy.Dispose();
        await f.WaitUntilAsync(() => f.Budget.Counted == 0);
        using var third = f.NewConnection();
        AssertSecret(await third.GetStringAsync("/secretsmanager/get?secretId=MyTest"), "MyTest");
    }

    [Fact]
    public async Task A_repeated_token_header_is_refused_a_deliberate_difference()
    {
        await using var f = await StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, f.Host.Address.Port);
        var stream = client.GetStream();
        var request = $"GET /v1/MyTest HTTP/1.1\r\nHost: localhost\r\nX-Aws-Parameters-Secrets-Token: {AgentFixture.Token}\r\nX-Aws-Parameters-Secrets-Token: other\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 403", answer, StringComparison.Ordinal);
        Assert.EndsWith("Bad Token", answer, StringComparison.Ordinal);
    }

    /// <summary>The AWS agent's test stub: any name is a secret whose value is "hunter2", except the names its tests use to make errors.</summary>
    private sealed class StubStore : ISecretStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;
        private bool _blocking;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public string Kind => "aws-agent-stub";

        public void Block() => _blocking = true;

        public void Release() => _released.TrySetResult();

        public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            var name = request.SecretId;
            if (_blocking && name.StartsWith("SleepyTest_", StringComparison.Ordinal))
            {
                Entered.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            if (name.StartsWith("KMSACCESSDENIED", StringComparison.Ordinal))
            {
                throw new SecretAccessDeniedException(name, "Access to KMS is not allowed", "AccessDeniedException", 400);
            }

            if (name.StartsWith("OTHERERROR", StringComparison.Ordinal))
            {
                throw new SecretAccessDeniedException(name, "The request signature we calculated does not match ...", "InvalidSignatureException", 400);
            }

            if (name.StartsWith("NOMESSAGE", StringComparison.Ordinal))
            {
                // The service's 503 without a message, as the AWS store reports it (the service's own error kept inside).
                throw new SecretStoreUnavailableException(name, StoreFailureReason.ServerError, "Secrets Manager failed with ServiceUnavailable (status 503).", "ServiceUnavailable", 503, new NoMessageError());
            }

            var value = name.StartsWith("REFRESHNOW", StringComparison.Ordinal) ? "hunter2-" + call : "hunter2";
            return new Secret(
                name,
                request.VersionId ?? DefaultVersion,
                value,
                versionStages: [request.VersionStage ?? "AWSCURRENT"],
                arn: string.Format(System.Globalization.CultureInfo.InvariantCulture, FakeArn, name),
                createdDate: DateTimeOffset.FromUnixTimeMilliseconds(1_569_534_789_046));
        }

        private sealed class NoMessageError : Exception;
    }
}
