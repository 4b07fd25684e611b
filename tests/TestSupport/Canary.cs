namespace Secretary.Testing;

/// <summary>Secret values that must never show up in logs, errors, metrics, stats or messages.</summary>
public static class Canary
{
    public const string Value = "CANARY-b7d1e9f04c2a4f0e";
    public const string Json = "{\"username\":\"app\",\"password\":\"" + Value + "\"}";
    public const string BrokenJson = "{\"password\":\"" + Value + "\"";

    /// <summary>Fails when any of <paramref name="texts"/> contains a canary.</summary>
    public static void AssertAbsent(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
        {
            if (text is not null && text.Contains("CANARY-", StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"A canary secret value leaked into: {text.Replace(Value, "<canary>", StringComparison.Ordinal)}");
            }
        }
    }
}
