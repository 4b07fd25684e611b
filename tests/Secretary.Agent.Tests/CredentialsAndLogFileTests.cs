using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Secretary.Cli.Commands;
using Secretary.Emulator;

namespace Secretary.Agent.Tests;

/// <summary>The AWS agent's <c>credentials_file_path</c> and <c>log_to_file</c>, through <c>secretary serve</c> and the emulator.</summary>
public sealed partial class CredentialsAndLogFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-credentials-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private static string Profile(string key, string secret) => $"[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n";

    [Fact]
    public async Task Validate_credentials_checks_them_with_STS_at_start_and_refuses_bad_ones_with_exit_1()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, AccessKey = "good", SecretKey = "secret" });
        Dictionary<string, string?> Environment(string key) => new()
        {
            ["AWS_TOKEN"] = "t",
            ["AWS_ACCESS_KEY_ID"] = key,
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        string[] serve = ["serve", "--store", "aws", "--region", "us-east-1", "--endpoint-url", emulator.Endpoint.ToString(), "--port", "0"];

        var refused = await ProcessRunner.RunCliAsync(serve, Environment("wrong"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused by STS GetCallerIdentity (InvalidClientTokenId", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, emulator.GetRequestCounts().For("GetCallerIdentity"));

        var (agent, _) = await ServerProcess.StartCliAsync(serve, Listening(), Environment("good"));
        await agent.DisposeAsync();
        Assert.Equal(2, emulator.GetRequestCounts().For("GetCallerIdentity"));

        var config = Path.Combine(_directory, "no-check.toml");
        await File.WriteAllTextAsync(config, "validate_credentials = false\n");
        var (unchecked_, _) = await ServerProcess.StartCliAsync([.. serve, "-c", config], Listening(), Environment("wrong"));
        await unchecked_.DisposeAsync();
        Assert.Equal(2, emulator.GetRequestCounts().For("GetCallerIdentity")); // not asked
    }

    [Fact]
    public void The_credentials_file_is_read_again_after_five_minutes_when_it_changed()
    {
        var path = Path.Combine(_directory, "credentials");
        File.WriteAllText(path, Profile("first", "one"));
        var time = new FakeTimeProvider();
        var credentials = new CredentialsFile(path, time);
        Assert.Equal("first", credentials.GetCredentials().AccessKey);

        File.WriteAllText(path, Profile("second", "two"));
        File.SetLastWriteTimeUtc(path, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("first", credentials.GetCredentials().AccessKey);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("second", credentials.GetCredentials().AccessKey);

        File.WriteAllText(path, "not an ini file [");
        File.SetLastWriteTimeUtc(path, new DateTime(2031, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("second", credentials.GetCredentials().AccessKey); // the last good ones are kept
    }

    [Fact]
    public async Task Serve_signs_with_the_credentials_file_and_writes_the_AWS_agents_log_file()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, AccessKey = "filekey", SecretKey = "filesecret" });
        emulator.PutSecret("from-file", "value-read-with-file-credentials");
        var credentials = Path.Combine(_directory, "credentials");
        await File.WriteAllTextAsync(credentials, Profile("filekey", "filesecret"));
        var config = Path.Combine(_directory, "agent.toml");
        await File.WriteAllTextAsync(config, $"""
            http_port = "0"
            region = "us-east-1"
            endpoint_url = "{emulator.Endpoint}"
            credentials_file_path = "{credentials}"
            validate_credentials = false
            log_to_file = true
            log_level = "debug"
            """);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_TOKEN"] = "t",
            ["AWS_ACCESS_KEY_ID"] = "wrong",
            ["AWS_SECRET_ACCESS_KEY"] = "wrong",
        };

        // Run from the test's directory: the log goes to ./logs there, as the AWS agent's does.
        var (agent, ready) = await ServerProcess.StartAsync(
            "bash", ["-c", "cd \"$0\" && exec dotnet exec \"$1\" serve -c \"$2\"", _directory, ProcessRunner.CliDll, config], Listening(), environment);
        await using (agent)
        {
            using var client = new HttpClient();
            client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", "t");
            using var response = await client.GetAsync(ready.Groups[1].Value + "/v1/from-file");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("value-read-with-file-credentials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await agent.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        var log = await File.ReadAllTextAsync(Path.Combine(_directory, "logs", "secrets_manager_agent.log"));
        Assert.Contains("listening on http://127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains("/v1/{secretId} 200", log, StringComparison.Ordinal);
        Assert.DoesNotContain("value-read-with-file-credentials", log, StringComparison.Ordinal);
    }
}
