namespace Secretary.Conformance.Support;

/// <summary>
/// Runs the checks of <c>boto3_checks.py</c> (Secrets Manager, STS) or <c>boto3_ssm_checks.py</c> (Parameter Store) against an emulator: all of them in one process, each on its own
/// (<see cref="RunAll"/>), so one failure hides no other; the script checks with
/// <c>expect()</c>, never <c>assert</c>, and runs under <c>PYTHONOPTIMIZE=2</c> to prove it.
/// </summary>
internal static class Boto3
{
    /// <summary>The Secrets Manager and STS checks.</summary>
    public const string SecretsManagerScript = "boto3_checks.py";

    /// <summary>The Parameter Store checks (boto3_checks.py's harness, imported).</summary>
    public const string ParameterStoreScript = "boto3_ssm_checks.py";

    public static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, script);

    /// <summary>A run of every check of <paramref name="script"/> against <paramref name="endpoint"/> (each a result of its own; started on first use).</summary>
    public static CheckRun RunAll(string endpoint, IDictionary<string, string?> extra, string script = SecretsManagerScript) => new("boto3", () =>
    {
        var environment = AwsCli.Environment();
        environment["PYTHONOPTIMIZE"] = "2";
        environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync("python3", [ScriptPath(script), endpoint, "--all"], environment, timeout: TimeSpan.FromSeconds(900));
    });

    /// <summary>The names of every check the script defines.</summary>
    public static async Task<string[]> ListAsync(string script = SecretsManagerScript)
    {
        var result = await ProcessRunner.RunAsync("python3", [ScriptPath(script), "--list"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, script + " --list failed: " + result);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
