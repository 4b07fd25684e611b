using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>
/// Reads a parameter seed file (as <c>samples/dev-parameters.json</c>): name → a string (a String parameter) or an
/// object with <c>Value</c> and optionally <c>Type</c> (String, StringList, SecureString), <c>Description</c>,
/// <c>DataType</c> and <c>Tier</c> — the members of PutParameter.
/// </summary>
internal static class ParameterSeedLoader
{
    private static readonly HashSet<string> Members = new(StringComparer.Ordinal) { "Value", "Type", "Description", "DataType", "Tier", "KeyId", "AllowedPattern" };

    /// <summary>Returns one PutParameter input per parameter.</summary>
    public static List<JsonObject> Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The parameter seed file '{path}' is not valid JSON ({ex.Message}); expected an object of name → string or {{\"Type\": ..., \"Value\": ...}}.", ex);
        }

        if (root is not JsonObject parameters)
        {
            throw new InvalidDataException($"The parameter seed file '{path}' must hold a JSON object of name → string or {{\"Type\": ..., \"Value\": ...}}.");
        }

        var result = new List<JsonObject>();
        foreach (var (name, value) in parameters)
        {
            var input = new JsonObject { ["Name"] = name };
            switch (value)
            {
                case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                    input["Type"] = "String";
                    input["Value"] = text.GetValue<string>();
                    break;
                case JsonObject spec when spec["Value"] is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                    foreach (var (member, memberValue) in spec)
                    {
                        if (!Members.Contains(member))
                        {
                            throw new InvalidDataException($"The parameter seed file '{path}' gives '{name}' the member '{member}'; the members are {string.Join(", ", Members)}.");
                        }

                        input[member] = memberValue?.DeepClone();
                    }

                    input["Type"] ??= "String";
                    break;
                default:
                    throw new InvalidDataException($"The parameter seed file '{path}' gives '{name}' neither a string nor an object with a string Value.");
            }

            result.Add(input);
        }

        return result;
    }
}
