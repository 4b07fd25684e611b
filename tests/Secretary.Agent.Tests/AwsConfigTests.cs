using System.Text.RegularExpressions;
using Secretary.Agent.Internals;

namespace Secretary.Agent.Tests;

/// <summary>
/// The AWS Secrets Manager Agent's configuration files and its configuration tests, replayed: every file of its test
/// resources (written out here) is accepted or refused as it is by the AWS agent, with its meaning or its message,
/// and a refused file stops <c>secretary serve</c> with exit code 1 and that message.
/// </summary>
public sealed partial class AwsConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The AWS agent's tests/resources/configs, as text.
    public const string AnyPort = "# Let the server pick the port\nhttp_port = \"0\"\nmax_conn = 1\n";
    public const string Empty = "";
    public const string Valid = """
        # checking that all caps for log level is accpeted.
        log_level = "DEBUG"
        http_port = "65535"
        ssrf_headers = ["X-Aws-Parameters-Secrets-Token"]
        ssrf_env_variables = ["MY_TOKEN"]
        path_prefix = "/other"
        # checking that number with no quotes work.
        ttl_seconds = 300
        # checking that number with single quote works
        cache_size = '1000'
        max_conn = 10
        region = "us-west-2"
        ignore_transient_errors = false
        validate_credentials = false
        credentials_file_path = "/tmp/test_credentials"
        """;
    public const string InvalidConfig = "log_level = \"an invalid log level\"\nhttp_port = \"9999\"";
    public const string InvalidContents = "This is gibberish";
    public const string UnrecognizedOverride = "# unrecognized configurations\nmax_connections = \"1001\"";

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private SecretaryAgentOptions Read(string text)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".toml");
        File.WriteAllText(path, text);
        var options = new SecretaryAgentOptions();
        SecretaryAgentConfiguration.ApplyToml(options, path);
        SecretaryAgentConfiguration.Validate(options);
        return options;
    }

    private string Refusal(string text) => Assert.Throws<AgentConfigurationException>(() => Read(text)).Message;

    [Fact]
    public void The_empty_file_is_the_defaults()
    {
        var options = Read(Empty);

        Assert.Equal("info", options.LogLevel);
        Assert.Equal(2773, options.HttpPort);
        Assert.Equal(300, options.TtlSeconds);
        Assert.Equal(1000, options.CacheSize);
        Assert.Equal(800, options.MaxConn);
        Assert.Equal(["X-Aws-Parameters-Secrets-Token", "X-Vault-Token"], options.SsrfHeaders);
        Assert.Equal(["AWS_TOKEN", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"], options.SsrfEnvVariables);
        Assert.Equal("/v1/", options.PathPrefix);
        Assert.Null(options.Region);
        Assert.True(options.IgnoreTransientErrors);
        Assert.True(options.ValidateCredentials);
        Assert.Null(options.CredentialsFilePath);
    }

    [Fact]
    public void The_valid_file_is_read_with_its_quoted_numbers_and_every_key()
    {
        var options = Read(Valid);

        Assert.Equal("DEBUG", options.LogLevel);
        Assert.Equal(65535, options.HttpPort);
        Assert.Equal(300, options.TtlSeconds);
        Assert.Equal(1000, options.CacheSize);
        Assert.Equal(["X-Aws-Parameters-Secrets-Token"], options.SsrfHeaders);
        Assert.Equal(["MY_TOKEN"], options.SsrfEnvVariables);
        Assert.Equal("/other", options.PathPrefix);
        Assert.Equal(10, options.MaxConn);
        Assert.Equal("us-west-2", options.Region);
        Assert.False(options.IgnoreTransientErrors);
        Assert.False(options.ValidateCredentials);
        Assert.Equal("/tmp/test_credentials", options.CredentialsFilePath);
        Assert.Equal(TimeSpan.Zero, options.ToCacheOptions().MaxStale); // ignore_transient_errors = false: never a stale value
    }

    [Fact]
    public void The_any_port_file_picks_a_free_port()
    {
        var options = Read(AnyPort);

        Assert.Equal(0, options.HttpPort);
        Assert.Equal(1, options.MaxConn);
    }

    [Fact]
    public void The_refused_files_have_the_AWS_agents_messages()
    {
        Assert.Equal(AgentMessages.InvalidLogLevel, Refusal(InvalidConfig));
        Assert.StartsWith("TOML parse error at line 1, column 6", Refusal(InvalidContents), StringComparison.Ordinal);
        Assert.StartsWith("unknown field `max_connections`, expected one of `log_level`, `log_to_file`, `http_port`", Refusal(UnrecognizedOverride), StringComparison.Ordinal);
        Assert.Equal(
            "configuration file \"file_does_not_exist\" not found",
            Assert.Throws<AgentConfigurationException>(() => SecretaryAgentConfiguration.ApplyToml(new SecretaryAgentOptions(), "file_does_not_exist")).Message);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("Info")]
    [InlineData("INFO")]
    [InlineData("debug")]
    [InlineData("Debug")]
    [InlineData("DEBUG")]
    [InlineData("warn")]
    [InlineData("Warn")]
    [InlineData("WARN")]
    [InlineData("error")]
    [InlineData("Error")]
    [InlineData("ERROR")]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    public void Log_levels_are_accepted_in_any_case(string level) => Assert.Equal(level, Read($"log_level = \"{level}\"").LogLevel);

    [Theory]
    [InlineData("log_level", "\"information\"", AgentMessages.InvalidLogLevel)]
    [InlineData("http_port", "\"1023\"", AgentMessages.InvalidHttpPort)]
    [InlineData("http_port", "\"-1\"", AgentMessages.InvalidHttpPort)]
    [InlineData("http_port", "\"65536\"", AgentMessages.InvalidHttpPort)]
    [InlineData("http_port", "\"not a number\"", AgentMessages.InvalidHttpPort)]
    [InlineData("http_port", "80", AgentMessages.InvalidHttpPort)]
    [InlineData("max_conn", "\"1001\"", AgentMessages.InvalidMaxConn)]
    [InlineData("max_conn", "\"-1\"", AgentMessages.InvalidMaxConn)]
    [InlineData("max_conn", "\"0\"", AgentMessages.InvalidMaxConn)]
    [InlineData("max_conn", "\"not a number\"", AgentMessages.InvalidMaxConn)]
    [InlineData("ttl_seconds", "\"-1\"", AgentMessages.InvalidTtlSeconds)]
    [InlineData("ttl_seconds", "\"3601\"", AgentMessages.InvalidTtlSeconds)]
    [InlineData("ttl_seconds", "\"not a number\"", AgentMessages.InvalidTtlSeconds)]
    [InlineData("cache_size", "\"-1\"", AgentMessages.InvalidCacheSize)]
    [InlineData("cache_size", "\"0\"", AgentMessages.InvalidCacheSize)]
    [InlineData("cache_size", "\"1001\"", AgentMessages.InvalidCacheSize)]
    [InlineData("cache_size", "\"not a number\"", AgentMessages.InvalidCacheSize)]
    [InlineData("ssrf_headers", "[]", AgentMessages.EmptySsrfHeaders)]
    [InlineData("ssrf_env_variables", "[]", AgentMessages.EmptySsrfEnvVariables)]
    [InlineData("path_prefix", "\"v1\"", AgentMessages.BadPathPrefix)]
    public void Values_out_of_range_have_the_AWS_agents_message(string key, string value, string message) =>
        Assert.Equal(message, Refusal($"{key} = {value}"));

    [Theory]
    [InlineData("ttl_seconds = 0", "TtlSeconds", "0")]
    [InlineData("ttl_seconds = 3600", "TtlSeconds", "3600")]
    [InlineData("http_port = 1024", "HttpPort", "1024")]
    [InlineData("http_port = \"+8080\"", "HttpPort", "8080")]
    [InlineData("HTTP_PORT = 8080", "HttpPort", "8080")]
    [InlineData("cache_size = 1", "CacheSize", "1")]
    [InlineData("max_conn = 1000", "MaxConn", "1000")]
    [InlineData("path_prefix = \"/\"", "PathPrefix", "/")]
    [InlineData("log_to_file = \"yes\"", "LogToFile", "True")]
    [InlineData("ignore_transient_errors = 0", "IgnoreTransientErrors", "False")]
    [InlineData("ssrf_headers = [\"X-A\", 5]", "SsrfHeaders", "X-A,5")]
    public void Values_the_AWS_agent_accepts_are_accepted(string line, string property, string expected)
    {
        var options = Read(line);
        var value = typeof(SecretaryAgentOptions).GetProperty(property)!.GetValue(options);

        Assert.Equal(expected, value is IEnumerable<string> list ? string.Join(",", list) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Every_problem_is_listed_the_AWS_agents_first()
    {
        var message = Refusal("ttl_seconds = 4000\ncache_size = 0\nrefresh_ahead = 2");

        Assert.StartsWith(AgentMessages.InvalidTtlSeconds + " " + AgentMessages.InvalidCacheSize, message, StringComparison.Ordinal);
        Assert.Contains("refresh_ahead", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_names_its_key()
    {
        Assert.Contains("key `ssrf_headers`", Refusal("ssrf_headers = \"X-A\""), StringComparison.Ordinal);
        Assert.Contains("key `log_to_file`", Refusal("log_to_file = \"maybe\""), StringComparison.Ordinal);
        Assert.StartsWith("TOML parse error", Refusal("a = 1\na = 2"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RefusedFiles => new()
    {
        { InvalidConfig, AgentMessages.InvalidLogLevel },
        { InvalidContents, "TOML parse error" },
        { UnrecognizedOverride, "unknown field `max_connections`" },
    };

    [Theory]
    [MemberData(nameof(RefusedFiles))]
    public async Task Serve_exits_1_with_the_message_for_each_refused_file(string text, string message)
    {
        var path = Path.Combine(_directory, "refused.toml");
        await File.WriteAllTextAsync(path, text);

        var result = await ProcessRunner.RunCliAsync(["serve", "-c", path], new Dictionary<string, string?> { ["AWS_TOKEN"] = "t" });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, result.Stderr.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Serve_starts_on_the_any_port_file_and_refuses_a_port_in_use_with_exit_1()
    {
        var path = Path.Combine(_directory, "config_file_anyport.toml");
        await File.WriteAllTextAsync(path, AnyPort + "store = \"file:samples/dev-secrets.json\"\n");
        var environment = new Dictionary<string, string?> { ["AWS_TOKEN"] = "t" };
        var (agent, ready) = await ServerProcess.StartCliAsync(["serve", "--config", path], Listening(), environment);
        await using (agent)
        {
            var port = new Uri(ready.Groups[1].Value).Port;
            var busy = Path.Combine(_directory, "busy.toml");
            await File.WriteAllTextAsync(busy, $"http_port = {port}\nstore = \"file:samples/dev-secrets.json\"\n");

            var result = await ProcessRunner.RunCliAsync(["serve", "-c", busy], environment);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("address already in use", result.Stderr, StringComparison.OrdinalIgnoreCase);
        }
    }
}
