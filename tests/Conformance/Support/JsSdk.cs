using System.Text.Json.Nodes;

namespace Secretary.Conformance.Support;

/// <summary>
/// Runs one check of <c>js/checks.mjs</c> (the AWS SDK for JavaScript v3) against an emulator. The SDK is installed by
/// <c>npm ci</c> from js/package-lock.json (exact versions) into js/node_modules (gitignored) the first time it is needed.
/// </summary>
internal static class JsSdk
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Folder => Path.Combine(RepoRoot.Path, "tests", "Conformance", "js");

    /// <summary>The version of @aws-sdk/client-secrets-manager that package.json pins.</summary>
    public static string PinnedVersion =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")))!["dependencies"]!["@aws-sdk/client-secrets-manager"]!.GetValue<string>();

    public static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            var installed = Path.Combine(Folder, "node_modules", "@aws-sdk", "client-secrets-manager", "package.json");
            if (File.Exists(installed) && JsonNode.Parse(await File.ReadAllTextAsync(installed))!["version"]!.GetValue<string>() == PinnedVersion)
            {
                return;
            }

            var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", Folder], new Dictionary<string, string?>(), timeout: TimeSpan.FromSeconds(600));
            Assert.True(result.ExitCode == 0, "npm ci of the AWS SDK for JavaScript failed (scripts/install-test-deps.sh installs Node.js and npm): " + result);
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>A run of every check against <paramref name="endpoint"/> (each a result of its own; started on first use).</summary>
    public static CheckRun RunAll(string endpoint, IDictionary<string, string?> extra) => new("AWS SDK for JavaScript", async () =>
    {
        await EnsureInstalledAsync();
        var variables = AwsCli.Environment();
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return await ProcessRunner.RunAsync("node", [Path.Combine(Folder, "checks.mjs"), endpoint, "--all"], variables, timeout: TimeSpan.FromSeconds(900));
    });

    public static async Task<string[]> ListAsync()
    {
        await EnsureInstalledAsync();
        var result = await ProcessRunner.RunAsync("node", [Path.Combine(Folder, "checks.mjs"), "--list"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, "checks.mjs --list failed: " + result);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
