using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Secretary.Packaging.Tests.Support;

namespace Secretary.Packaging.Tests;

/// <summary>
/// The <c>secretary</c> tool as a user gets it: installed from the feed (nothing else) into a temporary tool path, run as
/// a process from a directory outside the clone, with a home of its own.
/// </summary>
public sealed partial class ToolTests(ToolTests.InstalledTool tool) : IClassFixture<ToolTests.InstalledTool>
{
    private readonly IsolatedNuGet _nuget = tool.NuGet;

    [GeneratedRegex(@"stats: ")]
    private static partial Regex BannerEnd();

    [Fact]
    public void The_CLI_package_is_a_dotnet_tool_whose_command_is_secretary()
    {
        var package = PackageFeed.Open(Expected.ToolPackageId);
        var types = package.ElementNode("packageTypes")?.Elements().Select(e => (string?)e.Attribute("name")).ToList();
        Assert.Equal(["DotnetTool"], types);
        var settings = package.Files.Single(f => f.Key.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        var command = XDocument.Load(new MemoryStream(settings.Value)).Descendants("Command").Single();
        Assert.Equal("secretary", (string?)command.Attribute("Name"));
        Assert.Empty(package.Dependencies); // a tool carries its dependencies inside
    }

    [Fact]
    public async Task Installed_from_the_feed_it_reports_the_package_version()
    {
        var secretary = tool.Secretary;
        var result = await ProcessRunner.RunAsync(secretary, ["--version"], _nuget.Environment, workingDirectory: _nuget.Directory);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches($"^{Regex.Escape(Expected.Version)}(\\+[0-9a-f]{{40}})?$", result.Stdout.Trim());
    }

    [Fact]
    public async Task Serve_dev_from_outside_the_clone_serves_the_built_in_sample_secrets_over_HTTP()
    {
        var secretary = tool.Secretary;
        var (agent, _) = await ServerProcess.StartAsync(secretary, ["serve", "--dev", "--port", "0", "--emulator-port", "0"], BannerEnd(), HomeEnvironment(), workingDirectory: _nuget.Directory);
        await using var _ = agent;

        var (status, body) = await ReadSecretAsync(agent.Output, "surgicase/main");
        Assert.Equal(HttpStatusCode.OK, status);
        var samples = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json")))!;
        Assert.Equal(samples["surgicase/main"]!.ToJsonString(), JsonNode.Parse(body)!["SecretString"]!.GetValue<string>());
        Assert.Equal("surgicase/main", JsonNode.Parse(body)!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Serve_dev_with_seed_serves_that_file_instead_of_the_samples()
    {
        var secretary = tool.Secretary;
        var seed = Path.Combine(_nuget.Directory, "my-secrets.json");
        File.WriteAllText(seed, """{"team/api": {"key": "from-my-seed"}}""");
        var (agent, _) = await ServerProcess.StartAsync(secretary, ["serve", "--dev", "--seed", seed, "--port", "0", "--emulator-port", "0"], BannerEnd(), HomeEnvironment(), workingDirectory: _nuget.Directory);
        await using var _ = agent;

        var (status, body) = await ReadSecretAsync(agent.Output, "team/api");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"key":"from-my-seed"}""", JsonNode.Parse(body)!["SecretString"]!.GetValue<string>());
        var (sampleStatus, sampleBody) = await ReadSecretAsync(agent.Output, "surgicase/main");
        Assert.Equal(HttpStatusCode.BadRequest, sampleStatus);
        Assert.Equal("ResourceNotFoundException", JsonNode.Parse(sampleBody)!["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Serve_dev_with_a_missing_seed_file_says_so_and_exits_2()
    {
        var secretary = tool.Secretary;
        var result = await ProcessRunner.RunAsync(secretary, ["serve", "--dev", "--seed", "absent.json", "--port", "0", "--emulator-port", "0"], HomeEnvironment(), workingDirectory: _nuget.Directory);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("absent.json' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A home of its own for each run (the token file lands in it), no token from the environment.</summary>
    private Dictionary<string, string?> HomeEnvironment()
    {
        var environment = _nuget.Environment;
        environment["HOME"] = Directory.CreateDirectory(Path.Combine(_nuget.Directory, "home-" + Guid.NewGuid().ToString("N"))).FullName;
        environment["XDG_RUNTIME_DIR"] = null;
        environment["SECRETARY_TOKEN"] = null;
        environment["AWS_TOKEN"] = null;
        environment["AWS_SESSION_TOKEN"] = null;
        return environment;
    }

    /// <summary><c>dotnet tool install Secretary.Tool --tool-path TMP</c> from the feed alone, once for the class.</summary>
    public sealed class InstalledTool : IDisposable
    {
        public InstalledTool()
        {
            var toolPath = Path.Combine(NuGet.Directory, "tools");
            var install = ProcessRunner.RunAsync(
                "dotnet",
                ["tool", "install", Expected.ToolPackageId, "--version", Expected.Version, "--tool-path", toolPath, "--configfile", NuGet.ConfigFile],
                NuGet.Environment,
                timeout: TimeSpan.FromMinutes(3),
                workingDirectory: NuGet.Directory).GetAwaiter().GetResult();
            Assert.True(install.ExitCode == 0, $"dotnet tool install failed ({install.ExitCode}):\n{install.Stdout}\n{install.Stderr}");
            Secretary = Path.Combine(toolPath, "secretary");
            Assert.True(File.Exists(Secretary), $"No {Secretary} after the install:\n{install.Stdout}");
        }

        public IsolatedNuGet NuGet { get; } = IsolatedNuGet.Create(withNuGetOrg: false);

        /// <summary>Gets the installed command's path.</summary>
        public string Secretary { get; }

        public void Dispose() => NuGet.Dispose();
    }

    /// <summary>Reads a secret from the agent whose banner is <paramref name="banner"/>, with the token file it names.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> ReadSecretAsync(string banner, string secretId)
    {
        var url = Regex.Match(banner, @"agent: (http://\S+)").Groups[1].Value;
        var tokenFile = Regex.Match(banner, @"curl -H ""X-Aws-Parameters-Secrets-Token: \$\(cat (\S+)\)""").Groups[1].Value;
        Assert.True(url.Length > 0 && tokenFile.Length > 0, banner);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/secretsmanager/get?secretId={Uri.EscapeDataString(secretId)}");
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", (await File.ReadAllTextAsync(tokenFile)).Trim());
        using var response = await http.SendAsync(request);
        return (response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}
