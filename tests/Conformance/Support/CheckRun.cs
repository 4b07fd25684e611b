using System.Text.Json.Nodes;

namespace Secretary.Conformance.Support;

/// <summary>
/// One run of a check script (boto3_checks.py or js/checks.mjs) with <c>--all</c>: every check runs on its own in one
/// process (one import of the SDK instead of one per check), each reports its own result, and each result is a test.
/// </summary>
internal sealed class CheckRun
{
    private readonly Lazy<Task<Dictionary<string, JsonObject>>> _results;

    public CheckRun(string client, Func<Task<ProcessRunner.Result>> run)
    {
        Client = client;
        _results = new Lazy<Task<Dictionary<string, JsonObject>>>(async () =>
        {
            var result = await run();
            Assert.True(result.ExitCode == 0, $"the {client} checks did not run: {result}");
            return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith('{'))
                .Select(line => JsonNode.Parse(line)!.AsObject())
                .ToDictionary(line => line["check"]!.GetValue<string>(), StringComparer.Ordinal);
        });
    }

    public string Client { get; }

    /// <summary>Asserts that <paramref name="check"/> ran and passed; its failure text is the assertion's message.</summary>
    public async Task AssertPassedAsync(string check)
    {
        var results = await _results.Value;
        Assert.True(results.TryGetValue(check, out var outcome), $"the {Client} check {check} did not run (checks run: {string.Join(", ", results.Keys)})");
        Assert.True(outcome["ok"]!.GetValue<bool>(), $"{Client} check {check} failed:\n{outcome["error"]?.GetValue<string>()}");
    }
}
