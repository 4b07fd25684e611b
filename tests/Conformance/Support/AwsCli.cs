using System.Text.Json.Nodes;

namespace Secretary.Conformance.Support;

/// <summary>The official AWS CLI against an emulator: <c>aws --endpoint-url ... secretsmanager ...</c>.</summary>
internal sealed class AwsCli
{
    private readonly string _endpoint;

    public AwsCli(string endpoint) => _endpoint = endpoint;

    public static Dictionary<string, string?> Environment(string secretKey = "test", string accessKey = "test", string region = "us-east-1") => new()
    {
        ["AWS_ACCESS_KEY_ID"] = accessKey,
        ["AWS_SECRET_ACCESS_KEY"] = secretKey,
        ["AWS_DEFAULT_REGION"] = region,
        ["AWS_REGION"] = region,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_PAGER"] = string.Empty,
        ["AWS_MAX_ATTEMPTS"] = "1",
        ["AWS_RETRY_MODE"] = "standard",
    };

    public Task<ProcessRunner.Result> RunAsync(string[] arguments, string secretKey = "test", string accessKey = "test", string region = "us-east-1") =>
        RunServiceAsync("secretsmanager", arguments, secretKey, accessKey, region);

    /// <summary>Runs <c>aws SERVICE ...</c> (for example <c>sts get-caller-identity</c>) against the emulator.</summary>
    public Task<ProcessRunner.Result> RunServiceAsync(string service, string[] arguments, string secretKey = "test", string accessKey = "test", string region = "us-east-1") =>
        ProcessRunner.RunAsync("aws", ["--endpoint-url", _endpoint, "--output", "json", service, .. arguments], Environment(secretKey, accessKey, region));

    /// <summary>Runs and asserts success; returns the JSON output (an empty object when the command prints nothing).</summary>
    public Task<JsonObject> OkAsync(params string[] arguments) => ServiceOkAsync("secretsmanager", arguments);

    /// <summary>Runs <c>aws SERVICE ...</c> and asserts success; returns the JSON output (an empty object when the command prints nothing).</summary>
    public async Task<JsonObject> ServiceOkAsync(string service, params string[] arguments)
    {
        var result = await RunServiceAsync(service, arguments);
        Assert.True(result.ExitCode == 0, $"aws {service} {string.Join(' ', arguments)} failed: {result}");
        return string.IsNullOrWhiteSpace(result.Stdout) ? [] : JsonNode.Parse(result.Stdout)!.AsObject();
    }

    /// <summary>Runs and asserts the CLI reports the service error <paramref name="errorCode"/>.</summary>
    public Task<ProcessRunner.Result> ErrorAsync(string errorCode, string[] arguments, string secretKey = "test", string accessKey = "test") =>
        ServiceErrorAsync("secretsmanager", errorCode, arguments, secretKey, accessKey);

    /// <summary>Runs <c>aws SERVICE ...</c> and asserts the CLI reports the service error <paramref name="errorCode"/>.</summary>
    public async Task<ProcessRunner.Result> ServiceErrorAsync(string service, string errorCode, string[] arguments, string secretKey = "test", string accessKey = "test")
    {
        var result = await RunServiceAsync(service, arguments, secretKey, accessKey);
        Assert.True(result.ExitCode != 0, $"aws {service} {string.Join(' ', arguments)} should have failed: {result}");
        Assert.True(result.Stderr.Contains($"({errorCode})", StringComparison.Ordinal), $"expected ({errorCode}) in: {result}");
        return result;
    }
}
