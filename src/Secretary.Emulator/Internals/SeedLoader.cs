using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <summary>Reads a seed file (name → string or JSON object, as <c>samples/dev-secrets.json</c>) into create requests.</summary>
internal static class SeedLoader
{
    /// <summary>Returns (name, value) pairs; a JSON object (or any non-string value) becomes its JSON text.</summary>
    public static List<(string Name, string Value)> Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The seed file '{path}' is not valid JSON ({ex.Message}); expected an object of name → string or JSON object.", ex);
        }

        if (root is not JsonObject secrets)
        {
            throw new InvalidDataException($"The seed file '{path}' must hold a JSON object of name → string or JSON object.");
        }

        var result = new List<(string, string)>();
        foreach (var (name, value) in secrets)
        {
            if (value is null)
            {
                throw new InvalidDataException($"The seed file '{path}' has a null value for secret '{name}'; give it a string or an object.");
            }

            result.Add((name, value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()));
        }

        return result;
    }
}
