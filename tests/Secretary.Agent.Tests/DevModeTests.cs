using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Agent.Tests;

/// <summary><c>secretary serve --dev</c>, the README's main command, and the CLI reading through it.</summary>
public sealed partial class DevModeTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("secretary-dev-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [GeneratedRegex(@"stats: ")]
    private static partial Regex BannerEnd();

    private Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = _home,
        ["XDG_RUNTIME_DIR"] = null,
        ["SECRETARY_TOKEN"] = null,
        ["AWS_TOKEN"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
    };

    [Fact]
    public async Task Dev_mode_starts_the_emulator_and_the_printed_curl_command_works()
    {
        var (agent, _) = await ServerProcess.StartCliAsync(["serve", "--dev", "--port", "0", "--emulator-port", "0"], BannerEnd(), Environment());
        await using var _ = agent;
        var output = agent.Output;
        var url = Regex.Match(output, @"agent: (http://\S+)").Groups[1].Value;
        var emulator = Regex.Match(output, @"emulator: (http://127\.0\.0\.1:\d+)").Groups[1].Value;
        var curl = Regex.Match(output, @"curl -H ""X-Aws-Parameters-Secrets-Token: \$\(cat (\S+)\)"" ""(\S+)""");
        Assert.True(curl.Success, output);
        Assert.Contains("aws --region us-east-1 --endpoint-url " + emulator, output, StringComparison.Ordinal);

        // The printed command, run by a shell as a user would paste it.
        var pasted = await ProcessRunner.RunAsync("bash", ["-c", curl.Value.Replace("curl ", "curl -s -w ' %{http_code}' ", StringComparison.Ordinal)]);
        Assert.EndsWith(" 200", pasted.Stdout.Trim(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(pasted.Stdout.Trim()[..^4]);
        Assert.Equal("surgicase/main", json.RootElement.GetProperty("Name").GetString());
        Assert.StartsWith("arn:aws:secretsmanager:us-east-1:", json.RootElement.GetProperty("ARN").GetString(), StringComparison.Ordinal);

        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(curl.Groups[2].Value)).StatusCode);

        // A secret added with the official CLI is served through the agent.
        var create = await ProcessRunner.RunAsync(
            "aws",
            ["--region", "us-east-1", "--endpoint-url", emulator, "secretsmanager", "create-secret", "--name", "demo", "--secret-string", """{"k":"v"}"""],
            new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test" });
        Assert.True(create.ExitCode == 0, create.Stderr);
        var get = await ProcessRunner.RunCliAsync(["get", "demo", "--agent", url, "--key", "k"], Environment());
        Assert.Equal(0, get.ExitCode);
        Assert.Equal("v", get.Stdout.Trim());

        var stats = await ProcessRunner.RunCliAsync(["stats", "--agent", url], Environment());
        Assert.Equal(0, stats.ExitCode);
        Assert.Matches(@"region\s+us-east-1", stats.Stdout);
        Assert.Matches(@"cache_efficiency\.cache_status\s+very_fresh", stats.Stdout);
    }

    [Fact]
    public async Task Reading_through_an_agent_that_is_not_running_is_a_store_unavailable_error()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "x", "--agent", "http://127.0.0.1:9"], Environment());

        Assert.Equal(7, result.ExitCode);
        Assert.StartsWith("error: StoreUnavailable:", result.Stderr, StringComparison.Ordinal);
    }
}
