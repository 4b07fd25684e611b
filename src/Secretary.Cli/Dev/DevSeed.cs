using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Cli.Dev;

/// <summary>
/// The sample secrets of <c>secretary serve --dev</c>: <c>samples/dev-secrets.json</c>, embedded in the assembly at build
/// time, so development mode works from any directory and from an installed tool or native binary.
/// </summary>
internal static class DevSeed
{
    /// <summary>The manifest resource name of the embedded <c>samples/dev-secrets.json</c> (see Secretary.Cli.csproj).</summary>
    public const string ResourceName = "Secretary.Cli.Dev.dev-secrets.json";

    /// <summary>Returns the embedded secrets as (name, value) pairs; an object value becomes its JSON text, as a seed file's does.</summary>
    public static IReadOnlyList<(string Name, string Value)> Read()
    {
        using var stream = typeof(DevSeed).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded development secrets '{ResourceName}' are missing from {typeof(DevSeed).Assembly.GetName().Name}; rebuild the CLI.");
        var secrets = JsonNode.Parse(stream)?.AsObject()
            ?? throw new InvalidOperationException($"The embedded development secrets '{ResourceName}' are not a JSON object.");
        return [.. secrets.Select(pair => (pair.Key, ValueOf(pair.Key, pair.Value)))];
    }

    /// <summary>The manifest resource name of the embedded <c>samples/dev-parameters.json</c>.</summary>
    public const string ParametersResourceName = "Secretary.Cli.Dev.dev-parameters.json";

    /// <summary>Returns the embedded Parameter Store parameters: name, type (String when the value is a plain string) and value.</summary>
    public static IReadOnlyList<(string Name, string Type, string Value)> ReadParameters()
    {
        using var stream = typeof(DevSeed).Assembly.GetManifestResourceStream(ParametersResourceName)
            ?? throw new InvalidOperationException($"The embedded development parameters '{ParametersResourceName}' are missing from {typeof(DevSeed).Assembly.GetName().Name}; rebuild the CLI.");
        var parameters = JsonNode.Parse(stream)?.AsObject()
            ?? throw new InvalidOperationException($"The embedded development parameters '{ParametersResourceName}' are not a JSON object.");
        return [.. parameters.Select(pair => pair.Value switch
        {
            JsonObject spec => (pair.Key, spec["Type"]?.GetValue<string>() ?? "String", spec["Value"]?.GetValue<string>() ?? throw new InvalidOperationException($"The embedded development parameter '{pair.Key}' has no Value.")),
            _ => (pair.Key, "String", ValueOf(pair.Key, pair.Value)),
        })];
    }

    private static string ValueOf(string name, JsonNode? value) => value switch
    {
        null => throw new InvalidOperationException($"The embedded development secret '{name}' is null."),
        _ when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
