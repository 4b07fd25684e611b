namespace Secretary.Agent.Internals;

/// <summary>
/// The parameters of a secret read, parsed as the AWS agent parses them: <c>name=value</c> pairs in order, form-decoded
/// (<c>+</c> is a space); <c>secretId</c> (query form only), <c>versionId</c> and <c>versionStage</c> take the last value
/// given, an empty one included; <c>refreshNow</c> is <c>true</c>, <c>false</c>, <c>1</c> or <c>0</c> in any case; the
/// first unknown name or bad <c>refreshNow</c> is the answer.
/// </summary>
internal sealed class SecretQuery
{
    public string? SecretId { get; set; }

    public string? VersionId { get; private set; }

    public string? VersionStage { get; private set; }

    public bool RefreshNow { get; private set; }

    /// <summary>Reads <paramref name="query"/> (with or without its <c>?</c>); the AWS agent's plain-text message when it is refused.</summary>
    public string? Parse(string query, bool allowSecretId)
    {
        foreach (var (name, value) in QueryPairs.Parse(query))
        {
            switch (name)
            {
                case "secretId" when allowSecretId:
                    SecretId = value;
                    break;
                case "versionId":
                    VersionId = value;
                    break;
                case "versionStage":
                    VersionStage = value;
                    break;
                case "refreshNow":
                    if (!TryParseRefresh(value, out var refresh))
                    {
                        return "invalid refreshNow value";
                    }

                    RefreshNow = refresh;
                    break;
                default:
                    return "unknown parameter: " + name;
            }
        }

        return null;
    }

    /// <summary>What the service would say about a parameter outside its limits, when one is (the cache refuses them before any store call).</summary>
    public string? ValidationMessage()
    {
        if (SecretId is { Length: > SecretRequest.MaxSecretIdLength })
        {
            return Constraint("secretId", "have length less than or equal to 2048");
        }

        if (VersionId is { } version && version.Length is < 32 or > 64)
        {
            return Constraint("versionId", version.Length < 32 ? "have length greater than or equal to 32" : "have length less than or equal to 64");
        }

        if (VersionStage is { } stage && stage.Length is < 1 or > 256)
        {
            return Constraint("versionStage", stage.Length < 1 ? "have length greater than or equal to 1" : "have length less than or equal to 256");
        }

        return null;
    }

    private static string Constraint(string member, string rule) =>
        $"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must {rule}";

    private static bool TryParseRefresh(string value, out bool refresh)
    {
        if (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            refresh = true;
            return true;
        }

        refresh = false;
        return value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

}
