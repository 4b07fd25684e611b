using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Secretary.Packaging.Tests;

/// <summary>
/// The container, Kubernetes and ECS files under deploy/, read as the tools would read them. No container engine or
/// cluster runs here (docs/deploy.md): these checks hold the security settings in place and the files in step with the
/// CLI and the projects.
/// </summary>
public sealed partial class DeployFileTests
{
    private static readonly string Deploy = Path.Combine(RepoRoot.Path, "deploy");

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]+")]
    private static partial Regex OptionToken();

    [Fact]
    public async Task Every_serve_option_the_deployment_files_pass_exists()
    {
        var help = await ProcessRunner.RunCliAsync(["serve", "--help"]);
        Assert.Equal(0, help.ExitCode);
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in ServeCommandLines())
        {
            foreach (Match option in OptionToken().Matches(text))
            {
                used.Add(option.Value);
            }
        }

        Assert.Contains("--unix-socket", used);
        var unknown = used.Where(o => !Regex.IsMatch(help.Stdout, $@"(?<![\w-]){Regex.Escape(o)}(?![\w-])")).ToList();
        Assert.True(unknown.Count == 0, $"deploy/ passes options `secretary serve` does not have: {string.Join(", ", unknown)}.\n{help.Stdout}");
    }

    [Fact]
    public void The_Kubernetes_sidecar_is_a_native_sidecar_that_shares_token_and_socket_in_memory_and_drops_everything()
    {
        var deployment = Yaml(Path.Combine(Deploy, "kubernetes", "sidecar.yaml")).Single(d => (string?)d["kind"] == "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        var agent = pod["initContainers"]!.AsArray().Single(c => (string?)c!["name"] == "secretary")!;
        Assert.Equal("Always", (string?)agent["restartPolicy"]);
        Assert.Equal("/ping", (string?)agent["startupProbe"]!["httpGet"]!["path"]);
        Assert.NotNull(agent["resources"]!["requests"]!["memory"]);

        var volume = pod["volumes"]!.AsArray().Single(v => v!["emptyDir"] is not null)!;
        Assert.Equal("Memory", (string?)volume["emptyDir"]!["medium"]);
        var app = pod["containers"]!.AsArray().Single()!;
        foreach (var container in new[] { agent, app })
        {
            var security = container["securityContext"]!;
            Assert.True((bool)security["readOnlyRootFilesystem"]!);
            Assert.False((bool)security["allowPrivilegeEscalation"]!);
            Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
            Assert.Contains(container["volumeMounts"]!.AsArray(), m => (string?)m!["name"] == (string?)volume["name"] && (string?)m["mountPath"] == "/run/secretary");
        }

        Assert.Contains(agent["args"]!.AsArray(), a => (string?)a == "--unix-socket=/run/secretary/secretary.sock");
        Assert.Contains(agent["args"]!.AsArray(), a => (string?)a == "--token-file=/run/secretary/token");

        // The token is seeded before the agent starts, by an init container that runs to completion.
        var inits = pod["initContainers"]!.AsArray().Select(c => c!).ToList();
        var seeder = inits[..inits.IndexOf(agent)].Single();
        Assert.Null(seeder["restartPolicy"]);
        Assert.Contains("> /run/secretary/token", string.Join(' ', seeder["command"]!.AsArray().Select(c => (string?)c)), StringComparison.Ordinal);
        Assert.True((bool)seeder["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.Contains(app["env"]!.AsArray(), e => (string?)e!["name"] == "AWS_TOKEN" && (string?)e["value"] == "file:///run/secretary/token");
    }

    [Fact]
    public void The_Redis_backplane_takes_its_password_from_a_secret_and_admits_only_the_agents()
    {
        var documents = Yaml(Path.Combine(Deploy, "kubernetes", "redis-backplane.yaml"));
        var redis = documents.Single(d => (string?)d["kind"] == "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Contains(redis["env"]!.AsArray(), e => e!["valueFrom"]?["secretKeyRef"] is not null);
        var policy = documents.Single(d => (string?)d["kind"] == "NetworkPolicy");
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Contains("SECRETARY__REDIS", File.ReadAllText(Path.Combine(Deploy, "kubernetes", "redis-backplane.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_ECS_task_runs_the_agent_as_a_healthy_gated_read_only_sidecar_with_the_token_from_the_task()
    {
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "ecs", "task-definition.json")))!;
        var containers = task["containerDefinitions"]!.AsArray();
        var agent = containers.Single(c => (string?)c!["name"] == "secretary")!;
        var app = containers.Single(c => (string?)c!["name"] != "secretary")!;
        Assert.Equal(["CMD", "/app/secretary", "ping"], agent["healthCheck"]!["command"]!.AsArray().Select(c => (string?)c));
        Assert.Contains(app["dependsOn"]!.AsArray(), d => (string?)d!["containerName"] == "secretary" && (string?)d["condition"] == "HEALTHY");
        Assert.NotEqual("0", ((string?)agent["user"])?.Split(':')[0]);
        foreach (var container in new[] { agent, app })
        {
            Assert.True((bool)container["readonlyRootFilesystem"]!);
            Assert.Equal(["ALL"], container["linuxParameters"]!["capabilities"]!["drop"]!.AsArray().Select(c => (string?)c));
        }

        var agentToken = agent["secrets"]!.AsArray().Single(s => (string?)s!["name"] == "SECRETARY_TOKEN")!;
        var appToken = app["secrets"]!.AsArray().Single(s => (string?)s!["name"] == "AWS_TOKEN")!;
        Assert.Equal((string?)agentToken["valueFrom"], (string?)appToken["valueFrom"]);
    }

    [Fact]
    public void The_Dockerfile_runs_the_native_binary_as_a_non_root_user_with_a_ping_health_check()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "docker", "Dockerfile"));
        var final = lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/runtime-deps", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(final);
        Assert.Contains("chiseled", final[0], StringComparison.Ordinal);
        Assert.Matches(@"^USER [1-9][0-9]*:[1-9][0-9]*$", final.Single(l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Equal(@"HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD [""/app/secretary"", ""ping""]", final.Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal)));
        Assert.Contains(final, l => l == @"ENTRYPOINT [""/app/secretary""]");
        Assert.Contains(final, l => l.StartsWith("COPY --from=build /out/secretary /app/secretary", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("-p:PublishAot=true", StringComparison.Ordinal) && l.Contains("dotnet publish", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Dockerfile_restore_layer_copies_every_project_the_CLI_builds_from()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "docker", "Dockerfile"));
        var missing = ProjectClosure(Path.Combine(RepoRoot.Path, "src", "Secretary.Cli", "Secretary.Cli.csproj"))
            .Select(p => Path.GetRelativePath(RepoRoot.Path, p).Replace('\\', '/'))
            .Where(p => !dockerfile.Contains($"COPY {p} {Path.GetDirectoryName(p)!.Replace('\\', '/')}/", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, $"deploy/docker/Dockerfile does not copy {string.Join(", ", missing)} before its restore.");
    }

    /// <summary>The command lines of the agent in every deployment file: systemd ExecStart, Docker CMD, Kubernetes args, ECS command.</summary>
    private static IEnumerable<string> ServeCommandLines()
    {
        yield return File.ReadAllLines(Path.Combine(Deploy, "systemd", "secretary.service")).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        yield return File.ReadAllLines(Path.Combine(Deploy, "docker", "Dockerfile")).Single(l => l.StartsWith("CMD ", StringComparison.Ordinal));
        var pod = Yaml(Path.Combine(Deploy, "kubernetes", "sidecar.yaml")).Single(d => (string?)d["kind"] == "Deployment")["spec"]!["template"]!["spec"]!;
        yield return string.Join(' ', pod["initContainers"]!.AsArray().Single(c => (string?)c!["name"] == "secretary")!["args"]!.AsArray().Select(a => (string?)a));
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(Deploy, "ecs", "task-definition.json")))!;
        yield return string.Join(' ', task["containerDefinitions"]![0]!["command"]!.AsArray().Select(a => (string?)a));
    }

    private static IReadOnlySet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (seen.Add(current))
            {
                foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value.Replace('\\', '/'))));
                }
            }
        }

        return seen;
    }

    /// <summary>The YAML documents of a file as JSON (PyYAML, which scripts/install-test-deps.sh installs).</summary>
    private static List<JsonNode> Yaml(string path)
    {
        var result = ProcessRunner.RunAsync("python3", ["-c", "import json,sys,yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))", path]).GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"{path} is not valid YAML: {result.Stderr}");
        return [.. JsonNode.Parse(result.Stdout)!.AsArray().Select(d => d!)];
    }
}
