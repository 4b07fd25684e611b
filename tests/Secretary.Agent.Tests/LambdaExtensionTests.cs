using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Secretary.Emulator;

namespace Secretary.Agent.Tests;

/// <summary>
/// The binary as the AWS Parameters and Secrets Lambda Extension: its variables, the Extensions API protocol against a
/// stand-in that follows the documented protocol (register, event/next, SHUTDOWN), and the documented Python snippet
/// against <c>serve --dev</c>.
/// </summary>
public sealed partial class LambdaExtensionTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("secretary-lambda-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void The_variables_default_as_the_extension_documents()
    {
        var settings = LambdaExtensionSettings.FromEnvironment(_ => null);
        Assert.Equal(
            (2773, true, 1000, "info", 3, 300, 0, 300, 0),
            (settings.HttpPort, settings.CacheEnabled, settings.CacheSize, settings.LogLevel, settings.MaxConnections,
             settings.SecretsManagerTtlSeconds, settings.SecretsManagerTimeoutMillis, settings.ParameterStoreTtlSeconds, settings.ParameterStoreTimeoutMillis));

        var options = new SecretaryAgentOptions();
        settings.ApplyTo(options);
        Assert.Equal((2773, "info", 3, 1000, 300, 300, "aws,ssm"), (options.HttpPort, options.LogLevel, options.MaxConn, options.CacheSize, options.TtlSeconds, options.ParameterStoreTtlSeconds, options.Store));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void The_variables_set_the_agent()
    {
        var environment = new Dictionary<string, string>
        {
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = "3000",
            ["PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL"] = "DEBUG",
            ["PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS"] = "10",
            ["PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE"] = "50",
            ["SECRETS_MANAGER_TTL"] = "120",
            ["SSM_PARAMETER_STORE_TTL"] = "0",
            ["SECRETS_MANAGER_TIMEOUT_MILLIS"] = "1500",
            ["SSM_PARAMETER_STORE_TIMEOUT_MILLIS"] = "700",
        };
        var settings = LambdaExtensionSettings.FromEnvironment(environment.GetValueOrDefault);
        var options = new SecretaryAgentOptions();
        settings.ApplyTo(options);
        Assert.Equal((3000, "debug", 10, 50, 120, 0, 2), (options.HttpPort, options.LogLevel, options.MaxConn, options.CacheSize, options.TtlSeconds, options.ParameterStoreTtlSeconds, options.StoreTimeoutSeconds));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.SecretsManagerTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(700), settings.ParameterStoreTimeout);

        var cache = options.ToCacheOptions();
        Assert.Equal(TimeSpan.FromSeconds(120), cache.DefaultTtl);
        Assert.Equal(TimeSpan.FromTicks(1), cache.StoreKindTtls["ssm"]);
    }

    [Theory]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "false")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "0")]
    public void Caching_off_or_size_zero_means_every_read_asks_the_store(string name, string value)
    {
        var options = new SecretaryAgentOptions();
        LambdaExtensionSettings.FromEnvironment(n => n == name ? value : null).ApplyTo(options);
        Assert.Equal((0, 0), (options.TtlSeconds, options.ParameterStoreTtlSeconds));
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "http")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "70000")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "yes")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE", "1001")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL", "verbose")]
    [InlineData("PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS", "0")]
    [InlineData("SECRETS_MANAGER_TTL", "301")]
    [InlineData("SECRETS_MANAGER_TIMEOUT_MILLIS", "-1")]
    [InlineData("SSM_PARAMETER_STORE_TTL", "-5")]
    [InlineData("SSM_PARAMETER_STORE_TIMEOUT_MILLIS", "soon")]
    public void A_bad_value_is_a_configuration_error_naming_the_variable(string name, string value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => LambdaExtensionSettings.FromEnvironment(n => n == name ? value : null));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => LambdaExtensionSettings.FromEnvironment(n => n.EndsWith("_TTL", StringComparison.Ordinal) ? "999" : null));
        Assert.Contains("SECRETS_MANAGER_TTL", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSM_PARAMETER_STORE_TTL", error.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"listening on (http://\S+) \(Lambda extension\)")]
    private static partial Regex ExtensionLine();

    [Fact]
    public async Task As_a_Lambda_extension_it_registers_serves_before_the_first_event_and_exits_on_shutdown()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
        emulator.PutParameter("/myapp/db/password", Canary.Value, "SecureString");
        emulator.PutSecret("myapp/api-key", "from-secrets-manager");
        await using var lambda = await ExtensionsApiStandIn.StartAsync();
        var port = FreePort();

        // Lambda starts the extension with no arguments.
        var (extension, ready) = await ServerProcess.StartCliAsync([], ExtensionLine(), new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["AWS_LAMBDA_RUNTIME_API"] = lambda.RuntimeApi,
            ["AWS_SESSION_TOKEN"] = "lambda-session-token",
            ["AWS_TOKEN"] = null,
            ["SECRETARY_TOKEN"] = null,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = emulator.Endpoint.ToString(),
            ["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL"] = "warn",
        });
        await using var _ = extension;
        Assert.Equal(port, new Uri(ready.Groups[1].Value).Port);

        // Registered as its file name for INVOKE and SHUTDOWN; Lambda starts the function once every extension waits for an event.
        var registration = await lambda.Registered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("secretary", registration.Name);
        Assert.Equal(["INVOKE", "SHUTDOWN"], registration.Events);
        await lambda.NextCalls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        // The function's first invoke: the extension already answers, behind the session token.
        using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}") };
        client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", "lambda-session-token");
        using var parameter = JsonDocument.Parse(await client.GetStringAsync("/systemsmanager/parameters/get?name=%2Fmyapp%2Fdb%2Fpassword&withDecryption=true"));
        Assert.Equal(Canary.Value, parameter.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());
        using var secret = JsonDocument.Parse(await client.GetStringAsync("/secretsmanager/get?secretId=myapp/api-key"));
        Assert.Equal("from-secrets-manager", secret.RootElement.GetProperty("SecretString").GetString());
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"http://localhost:{port}/systemsmanager/parameters/get?name=/myapp/db/password")).StatusCode);
        }

        // INVOKE is acknowledged by asking for the next event; SHUTDOWN ends the process with 0.
        await lambda.Events.Writer.WriteAsync("INVOKE");
        await lambda.NextCalls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        await lambda.Events.Writer.WriteAsync("SHUTDOWN");
        Assert.Equal(0, await extension.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(["lambda-ext-0001", "lambda-ext-0001"], lambda.NextIdentifiers);
        Assert.DoesNotContain(Canary.Value, extension.Output, StringComparison.Ordinal);
        Assert.Null(lambda.InitError);
    }

    [Fact]
    public async Task A_bad_variable_is_reported_to_lambda_as_an_init_error_and_exits_1()
    {
        await using var lambda = await ExtensionsApiStandIn.StartAsync();
        var result = await ProcessRunner.RunCliAsync([], new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["AWS_LAMBDA_RUNTIME_API"] = lambda.RuntimeApi,
            ["AWS_SESSION_TOKEN"] = "lambda-session-token",
            ["SSM_PARAMETER_STORE_TTL"] = "9000",
        });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SSM_PARAMETER_STORE_TTL must be a whole number from 0 to 300 (was '9000').", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("Extension.ConfigInvalid", lambda.InitError);
    }

    [GeneratedRegex(@"stats: ")]
    private static partial Regex DevBannerEnd();

    [Fact]
    public async Task The_documented_python_snippet_reads_a_parameter_from_serve_dev()
    {
        var (agent, _) = await ServerProcess.StartCliAsync(["serve", "--dev", "--port", "0", "--emulator-port", "0"], DevBannerEnd(), new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["XDG_RUNTIME_DIR"] = null,
            ["SECRETARY_TOKEN"] = null,
            ["AWS_TOKEN"] = null,
            ["AWS_SESSION_TOKEN"] = null,
        });
        await using var _ = agent;
        var port = new Uri(Regex.Match(agent.Output, @"agent: (http://\S+)").Groups[1].Value).Port;
        var tokenFile = Regex.Match(agent.Output, @"\$\(cat (\S+)\)").Groups[1].Value;
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();

        // The snippet as AWS documents it for the extension, the port excepted; the handler's answer is printed.
        var script = """
            import urllib.request
            import os
            import json

            aws_session_token = os.environ.get('AWS_SESSION_TOKEN')

            def lambda_handler(event, context):
                # Retrieve a parameter
                req = urllib.request.Request('http://localhost:PORT/systemsmanager/parameters/get?name=%2Fmyapp%2Fdb%2Fpassword&withDecryption=true')
                req.add_header('X-Aws-Parameters-Secrets-Token', aws_session_token)
                config = urllib.request.urlopen(req).read()
                return json.loads(config)

            print(json.dumps(lambda_handler(None, None)))
            """.Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var result = await ProcessRunner.RunAsync("python3", ["-c", script], new Dictionary<string, string?> { ["AWS_SESSION_TOKEN"] = token });

        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Stdout);
        var parameter = answer.RootElement.GetProperty("Parameter");
        Assert.Equal("/myapp/db/password", parameter.GetProperty("Name").GetString());
        Assert.Equal("SecureString", parameter.GetProperty("Type").GetString());
        Assert.Equal("dev-only-password-5aQ9", parameter.GetProperty("Value").GetString());
        Assert.Equal(JsonValueKind.Object, answer.RootElement.GetProperty("ResultMetadata").ValueKind);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A stand-in for the Lambda Extensions API, as documented: <c>POST /2020-01-01/extension/register</c> answers a
    /// <c>Lambda-Extension-Identifier</c>; <c>GET /2020-01-01/extension/event/next</c> blocks until the test writes an
    /// event type to <see cref="Events"/>; <c>POST /2020-01-01/extension/init/error</c> records the error type.
    /// </summary>
    private sealed class ExtensionsApiStandIn : IAsyncDisposable
    {
        private const string Identifier = "lambda-ext-0001";
        private readonly WebApplication _app;

        private ExtensionsApiStandIn(WebApplication app) => _app = app;

        public string RuntimeApi { get; private set; } = string.Empty;

        public TaskCompletionSource<(string Name, string[] Events)> Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Channel<string> NextCalls { get; } = Channel.CreateUnbounded<string>();

        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();

        public List<string> NextIdentifiers { get; } = [];

        public string? InitError { get; private set; }

        public static async Task<ExtensionsApiStandIn> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var standIn = new ExtensionsApiStandIn(app);
            app.Run(standIn.HandleAsync);
            await app.StartAsync();
            standIn.RuntimeApi = new Uri(app.Urls.First()).Authority;
            return standIn;
        }

        private async Task HandleAsync(HttpContext context)
        {
            switch (context.Request.Method, context.Request.Path.Value)
            {
                case ("POST", "/2020-01-01/extension/register"):
                    using (var body = await JsonDocument.ParseAsync(context.Request.Body))
                    {
                        var events = body.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()!).ToArray();
                        Registered.TrySetResult((context.Request.Headers["Lambda-Extension-Name"].ToString(), events));
                    }

                    context.Response.Headers["Lambda-Extension-Identifier"] = Identifier;
                    await context.Response.WriteAsJsonAsync(new { functionName = "fn", functionVersion = "$LATEST", handler = "index.handler" });
                    break;
                case ("GET", "/2020-01-01/extension/event/next"):
                    lock (NextIdentifiers)
                    {
                        NextIdentifiers.Add(context.Request.Headers["Lambda-Extension-Identifier"].ToString());
                    }

                    await NextCalls.Writer.WriteAsync("next");
                    var type = await Events.Reader.ReadAsync(context.RequestAborted);
                    await context.Response.WriteAsJsonAsync(new { eventType = type, deadlineMs = 1_800_000_000_000, requestId = "req-1" });
                    break;
                case ("POST", "/2020-01-01/extension/init/error"):
                    InitError = context.Request.Headers["Lambda-Extension-Function-Error-Type"].ToString();
                    context.Response.StatusCode = 202;
                    break;
                default:
                    context.Response.StatusCode = 404;
                    break;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Events.Writer.TryComplete();
            await _app.DisposeAsync();
        }
    }
}
