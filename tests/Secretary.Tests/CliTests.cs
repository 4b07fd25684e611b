namespace Secretary.Tests;

/// <summary>The <c>secretary</c> executable, run as a process.</summary>
public sealed class CliTests
{
    private const string Store = "file:samples/dev-secrets.json";

    [Fact]
    public async Task Get_prints_the_json()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--store", Store]);

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal("normal", json.RootElement.GetProperty("COMPRESSION_MODE").GetString());
    }

    [Fact]
    public async Task Get_with_a_key_prints_only_that_value()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "surgicase/main", "--key", "COMPRESSION_MODE", "--store", Store]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("normal", result.Stdout.Trim());
    }

    [Fact]
    public async Task The_store_can_come_from_the_environment()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "surgicase/api-signing-key"], new Dictionary<string, string?> { ["SECRETARY_STORE"] = Store });

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("dev-signing-key", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "get", "no/such/secret" }, 3, "NotFound")]
    [InlineData(new[] { "get", "surgicase/main", "--key", "NOPE" }, 6, "Format")]
    [InlineData(new[] { "get", "surgicase/api-signing-key", "--key", "x" }, 6, "Format")]
    public async Task Failures_print_one_line_naming_the_category_with_a_distinct_exit_code(string[] args, int exitCode, string category)
    {
        var result = await ProcessRunner.RunCliAsync([.. args, "--store", Store]);

        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {category}:", line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task A_missing_store_is_a_usage_error()
    {
        var result = await ProcessRunner.RunCliAsync(["get", "x"], new Dictionary<string, string?> { ["SECRETARY_STORE"] = null });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_prints_the_report()
    {
        var result = await ProcessRunner.RunCliAsync(["warm", "surgicase/main", "surgicase/ses_keys", "--store", Store]);

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("successful").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("store_calls").GetInt32());
    }
}
