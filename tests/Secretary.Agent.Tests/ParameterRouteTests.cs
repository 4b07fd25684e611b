using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Secretary.Aws;
using Secretary.Emulator;
using Secretary.ParameterStore;

namespace Secretary.Agent.Tests;

/// <summary>
/// The Lambda extension's Parameter Store route, <c>/systemsmanager/parameters/get</c>, on an agent over an in-process
/// emulator read through a composite store (<c>aws,ssm</c>): the GetParameter JSON, selectors, errors, the token, the cache.
/// </summary>
public sealed class ParameterRouteTests : IAsyncLifetime
{
    private EmulatorServer _emulator = null!;
    private AgentFixture _agent = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
        _agent = await StartAgentAsync(_emulator);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    internal static Task<AgentFixture> StartAgentAsync(EmulatorServer emulator, Action<SecretaryAgentOptions>? configure = null)
    {
        var credentials = new BasicAWSCredentials("test", "test");
        var secrets = new AwsSecretsManagerStore(new AwsSecretsManagerStoreOptions { Region = "us-east-1", ServiceUrl = emulator.Endpoint.ToString(), Credentials = credentials });
        var parameters = new AwsParameterStore(new AwsParameterStoreOptions { Region = "us-east-1", ServiceUrl = emulator.Endpoint.ToString(), Credentials = credentials });
        return AgentFixture.StartAsync(configure, new CompositeSecretStore(secrets, parameters));
    }

    private long Calls(string operation) => _emulator.GetRequestCounts().Operations.GetValueOrDefault(operation);

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string query, HttpClient? client = null)
    {
        using var response = await (client ?? _agent.Client).GetAsync("/systemsmanager/parameters/get" + query);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_parameter_is_answered_as_GetParameter_json_and_then_from_the_cache()
    {
        _emulator.PutParameter("/myapp/db/password", Canary.Value, "SecureString");
        var (status, body) = await GetAsync("?name=%2Fmyapp%2Fdb%2Fpassword&withDecryption=true");

        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var parameter = json.RootElement.GetProperty("Parameter");
        Assert.Equal(["Name", "Type", "Value", "Version", "Selector", "SourceResult", "LastModifiedDate", "ARN", "DataType"], parameter.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/myapp/db/password", parameter.GetProperty("Name").GetString());
        Assert.Equal("SecureString", parameter.GetProperty("Type").GetString());
        Assert.Equal(Canary.Value, parameter.GetProperty("Value").GetString());
        Assert.Equal(1, parameter.GetProperty("Version").GetInt64());
        Assert.Equal(JsonValueKind.Null, parameter.GetProperty("Selector").ValueKind);
        Assert.Equal("arn:aws:ssm:us-east-1:123456789012:parameter/myapp/db/password", parameter.GetProperty("ARN").GetString());
        Assert.Equal("text", parameter.GetProperty("DataType").GetString());
        Assert.True(DateTimeOffset.TryParse(parameter.GetProperty("LastModifiedDate").GetString(), out _));
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("ResultMetadata").ValueKind);
        Assert.Empty(json.RootElement.GetProperty("ResultMetadata").EnumerateObject());

        var before = Calls("GetParameter");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("?name=/myapp/db/password&withDecryption=true")).Status);
        Assert.Equal(before, Calls("GetParameter"));
        Canary.AssertAbsent(_agent.LogLines);
    }

    [Fact]
    public async Task Version_and_label_select_a_version_and_are_echoed_as_the_selector()
    {
        _emulator.PutParameter("/sel/p", "one");
        _emulator.PutParameter("/sel/p", "two");
        using (var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(
            new BasicAWSCredentials("test", "test"),
            new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig { ServiceURL = _emulator.Endpoint.ToString(), AuthenticationRegion = "us-east-1" }))
        {
            await ssm.LabelParameterVersionAsync(new Amazon.SimpleSystemsManagement.Model.LabelParameterVersionRequest { Name = "/sel/p", ParameterVersion = 1, Labels = ["prod"] });
        }

        var (status, body) = await GetAsync("?name=/sel/p&version=1");
        Assert.Equal(HttpStatusCode.OK, status);
        using var first = JsonDocument.Parse(body);
        Assert.Equal("one", first.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(":1", first.RootElement.GetProperty("Parameter").GetProperty("Selector").GetString());
        Assert.Equal("two", JsonDocument.Parse((await GetAsync("?name=/sel/p")).Body).RootElement.GetProperty("Parameter").GetProperty("Value").GetString());

        var (missingStatus, missingBody) = await GetAsync("?name=/sel/p&version=9");
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Equal("ParameterVersionNotFound", JsonDocument.Parse(missingBody).RootElement.GetProperty("__type").GetString());
        using var labelled = JsonDocument.Parse((await GetAsync("?name=/sel/p&label=prod")).Body);
        Assert.Equal(["one", ":prod"], new[] { "Value", "Selector" }.Select(m => labelled.RootElement.GetProperty("Parameter").GetProperty(m).GetString()));
        var (labelStatus, labelBody) = await GetAsync("?name=/sel/p&label=beta");
        Assert.Equal(HttpStatusCode.BadRequest, labelStatus);
        Assert.Equal("ParameterVersionNotFound", JsonDocument.Parse(labelBody).RootElement.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_missing_parameter_is_the_service_error_with_its_status()
    {
        var (status, body) = await GetAsync("?name=/nothing/here");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("ParameterNotFound", json.RootElement.GetProperty("__type").GetString());
    }

    [Theory]
    [InlineData("", "missing parameter name")]
    [InlineData("?name=", "missing parameter name")]
    [InlineData("?name=/a&colour=red", "unknown parameter: colour")]
    [InlineData("?name=/a&version=1&label=prod", "version and label cannot be used together")]
    [InlineData("?name=/a&version=one", "invalid version value")]
    [InlineData("?name=/a&withDecryption=yes", "invalid withDecryption value")]
    public async Task Bad_queries_are_400_with_a_plain_text_reason(string query, string reason)
    {
        var (status, body) = await GetAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(reason, body);
        Assert.Equal(0, Calls("GetParameter"));
    }

    [Fact]
    public async Task The_route_is_behind_the_token_and_the_method_check()
    {
        _emulator.PutParameter("/guarded", Canary.Value);
        var (status, body) = await GetAsync("?name=/guarded", _agent.Anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Bad Token", body);
        Canary.AssertAbsent([body]);

        using var post = await _agent.Client.PostAsync("/systemsmanager/parameters/get?name=/guarded", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(0, Calls("GetParameter"));
    }

    [Fact]
    public async Task Parameters_and_secrets_keep_their_own_ttls()
    {
        await using var agent = await StartAgentAsync(_emulator, o => { o.TtlSeconds = 300; o.ParameterStoreTtlSeconds = 10; });
        _emulator.PutParameter("/ttl/p", "v");
        _emulator.PutSecret("ttl/s", "v");
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync("/systemsmanager/parameters/get?name=/ttl/p")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync("/secretsmanager/get?secretId=ttl/s")).StatusCode);
        var (parameters, secrets) = (Calls("GetParameter"), Calls("GetSecretValue"));

        agent.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync("/systemsmanager/parameters/get?name=/ttl/p")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync("/secretsmanager/get?secretId=ttl/s")).StatusCode);
        await agent.WaitUntilAsync(() => Calls("GetParameter") == parameters + 1);
        Assert.Equal(secrets, Calls("GetSecretValue"));
    }

    [Fact]
    public async Task An_agent_without_parameter_store_says_so()
    {
        await using var agent = await AgentFixture.StartAsync();
        using var response = await agent.Client.GetAsync("/systemsmanager/parameters/get?name=/a");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ValidationException", json.RootElement.GetProperty("__type").GetString());
        Assert.Contains("--store aws,ssm", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
