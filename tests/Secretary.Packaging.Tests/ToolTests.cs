using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Secretary.Packaging.Tests.Support;

namespace Secretary.Packaging.Tests;

/// <summary>
/// The <c>secretary</c> tool as a user gets it: installed from the feed (nothing else) into a temporary tool path, run as
/// a process from a directory outside the clone, with a home of its own.
/// </summary>
public sealed class ToolTests(ToolTests.InstalledTool tool) : IClassFixture<ToolTests.InstalledTool>
{
    private readonly IsolatedNuGet _nuget = tool.NuGet;

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
        var (agent, _) = await ServerProcess.StartAsync(secretary, ["serve", "--dev", "--port", "0", "--emulator-port", "0"], DevAgent.BannerEnd(), HomeEnvironment(), workingDirectory: _nuget.Directory);
        await using var _ = agent;

        var (status, body) = await DevAgent.ReadSecretAsync(agent.Output, "surgicase/main");
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
        var (agent, _) = await ServerProcess.StartAsync(secretary, ["serve", "--dev", "--seed", seed, "--port", "0", "--emulator-port", "0"], DevAgent.BannerEnd(), HomeEnvironment(), workingDirectory: _nuget.Directory);
        await using var _ = agent;

        var (status, body) = await DevAgent.ReadSecretAsync(agent.Output, "team/api");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"key":"from-my-seed"}""", JsonNode.Parse(body)!["SecretString"]!.GetValue<string>());
        var (sampleStatus, sampleBody) = await DevAgent.ReadSecretAsync(agent.Output, "surgicase/main");
        Assert.Equal(HttpStatusCode.BadRequest, sampleStatus);
        Assert.Equal("ResourceNotFoundException", JsonNode.Parse(sampleBody)!["__type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ping_the_health_check_of_the_images_exits_0_for_a_running_agent_and_1_when_none_answers()
    {
        var secretary = tool.Secretary;
        var (agent, _) = await ServerProcess.StartAsync(secretary, ["serve", "--dev", "--port", "0", "--emulator-port", "0"], DevAgent.BannerEnd(), HomeEnvironment(), workingDirectory: _nuget.Directory);
        await using var _ = agent;
        var url = Regex.Match(agent.Output, @"agent: (http://\S+)").Groups[1].Value;

        var healthy = await ProcessRunner.RunAsync(secretary, ["ping", "--agent", url], _nuget.Environment, workingDirectory: _nuget.Directory);
        Assert.Equal((0, "healthy"), (healthy.ExitCode, healthy.Stdout.Trim()));

        await agent.TerminateAsync(TimeSpan.FromSeconds(30));
        var gone = await ProcessRunner.RunAsync(secretary, ["ping", "--agent", url, "--timeout", "5"], _nuget.Environment, workingDirectory: _nuget.Directory);
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith($"error: The agent at {url} cannot be reached", gone.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_dev_with_a_missing_seed_file_says_so_in_one_line_and_exits_1()
    {
        var secretary = tool.Secretary;
        var result = await ProcessRunner.RunAsync(secretary, ["serve", "--dev", "--seed", "absent.json", "--port", "0", "--emulator-port", "0"], HomeEnvironment(), workingDirectory: _nuget.Directory);
        Assert.Equal(1, result.ExitCode); // as every failure of serve to start (the AWS agent's code)
        Assert.Equal($"error: The seed file '{Path.Combine(_nuget.Directory, "absent.json")}' does not exist; omit --seed to use the built-in sample secrets.", result.Stderr.Trim());
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> HomeEnvironment() =>
        DevAgent.Environment(Path.Combine(_nuget.Directory, "home-" + Guid.NewGuid().ToString("N")), _nuget.Environment);

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
}
