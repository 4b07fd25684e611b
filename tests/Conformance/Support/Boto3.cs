namespace Secretary.Conformance.Support;

/// <summary>
/// Runs the checks of <c>boto3_checks.py</c> against an emulator: all of them in one process, each on its own
/// (<see cref="RunAll"/>), so one failure hides no other; the script checks with
/// <c>expect()</c>, never <c>assert</c>, and runs under <c>PYTHONOPTIMIZE=2</c> to prove it.
/// </summary>
internal static class Boto3
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "boto3_checks.py");

    /// <summary>A run of every check against <paramref name="endpoint"/> (each a result of its own; started on first use).</summary>
    public static CheckRun RunAll(string endpoint, IDictionary<string, string?> extra) => new("boto3", () =>
    {
        var environment = AwsCli.Environment();
        environment["PYTHONOPTIMIZE"] = "2";
        environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync("python3", [Script, endpoint, "--all"], environment, timeout: TimeSpan.FromSeconds(900));
    });

    /// <summary>The names of every check the script defines.</summary>
    public static async Task<string[]> ListAsync()
    {
        var result = await ProcessRunner.RunAsync("python3", [Script, "--list"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, "boto3_checks.py --list failed: " + result);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
