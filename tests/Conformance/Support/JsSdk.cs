using System.Text.Json.Nodes;

namespace Secretary.Conformance.Support;

/// <summary>
/// Runs the checks of <c>js/checks.mjs</c> or <c>js/ssm-checks.mjs</c> (the AWS SDK for JavaScript v3) against an emulator. The SDK is installed by
/// <c>npm ci</c> from js/package-lock.json (exact versions) into js/node_modules (gitignored) the first time it is needed.
/// </summary>
internal static class JsSdk
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Folder => Path.Combine(RepoRoot.Path, "tests", "Conformance", "js");

    /// <summary>The Secrets Manager and STS checks.</summary>
    public const string SecretsManagerScript = "checks.mjs";

    /// <summary>The Parameter Store checks (@aws-sdk/client-ssm).</summary>
    public const string ParameterStoreScript = "ssm-checks.mjs";

    /// <summary>The version of @aws-sdk/client-secrets-manager that package.json pins.</summary>
    public static string PinnedVersion => Pinned("@aws-sdk/client-secrets-manager");

    /// <summary>The version of <paramref name="package"/> that package.json pins.</summary>
    public static string Pinned(string package) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")))!["dependencies"]![package]!.GetValue<string>();

    /// <summary>The version of <paramref name="package"/> in js/node_modules, or null when it is not installed.</summary>
    public static string? Installed(string package)
    {
        var manifest = Path.Combine(Folder, "node_modules", package, "package.json");
        return File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest))!["version"]!.GetValue<string>() : null;
    }

    public static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            var dependencies = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "package.json")))!["dependencies"]!.AsObject();
            if (dependencies.All(d => Installed(d.Key) == d.Value!.GetValue<string>()))
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
    public static CheckRun RunAll(string endpoint, IDictionary<string, string?> extra, string script = SecretsManagerScript) => new("AWS SDK for JavaScript", async () =>
    {
        await EnsureInstalledAsync();
        var variables = AwsCli.Environment();
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return await ProcessRunner.RunAsync("node", [Path.Combine(Folder, script), endpoint, "--all"], variables, timeout: TimeSpan.FromSeconds(900));
    });

    public static async Task<string[]> ListAsync(string script = SecretsManagerScript)
    {
        await EnsureInstalledAsync();
        var result = await ProcessRunner.RunAsync("node", [Path.Combine(Folder, script), "--list"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, script + " --list failed: " + result);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
