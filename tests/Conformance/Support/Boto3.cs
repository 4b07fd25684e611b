namespace Secretary.Conformance.Support;

/// <summary>
/// Runs one check of <c>boto3_checks.py</c> against an emulator. Each check is its own process and its own test, so one
/// failure hides no other; the script checks with <c>expect()</c>, never <c>assert</c>, and runs under
/// <c>PYTHONOPTIMIZE=2</c> to prove it.
/// </summary>
internal static class Boto3
{
    public static string Script => Path.Combine(AppContext.BaseDirectory, "boto3_checks.py");

    public static async Task CheckAsync(string endpoint, string check)
    {
        var environment = AwsCli.Environment();
        environment["PYTHONOPTIMIZE"] = "2";
        environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var result = await ProcessRunner.RunAsync("python3", [Script, endpoint, check], environment, timeout: TimeSpan.FromSeconds(180));
        Assert.True(result.ExitCode == 0 && result.Stdout.Contains("ok " + check, StringComparison.Ordinal), $"boto3 check {check} failed: {result}");
    }

    /// <summary>The names of every check the script defines.</summary>
    public static async Task<string[]> ListAsync()
    {
        var result = await ProcessRunner.RunAsync("python3", [Script, "--list"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, "boto3_checks.py --list failed: " + result);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
