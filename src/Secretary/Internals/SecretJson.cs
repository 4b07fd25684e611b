using System.Collections.Frozen;
using System.Text.Json;

namespace Secretary.Internals;

/// <summary>The parsed form of one secret version: the JSON root and its top-level keys as strings.</summary>
internal sealed class SecretJson
{
    public static readonly JsonSerializerOptions BindingOptions = new(JsonSerializerDefaults.Web);

    private static readonly JsonDocumentOptions ParseOptions = new() { AllowTrailingCommas = false, MaxDepth = 64 };

    private readonly string _problem;

    private SecretJson(JsonElement root, FrozenDictionary<string, string>? values, string problem)
    {
        Root = root;
        Values = values;
        _problem = problem;
    }

    public JsonElement Root { get; }

    /// <summary>Top-level keys of a JSON object; null when the value is not a JSON object.</summary>
    public FrozenDictionary<string, string>? Values { get; }

    [ThreadStatic]
    private static long _parseCount;

    /// <summary>How many values this thread parsed (tests check parse-once-per-version with it).</summary>
    public static long ParseCount => _parseCount;

    public static SecretJson Parse(string? text)
    {
        _parseCount++;
        if (text is null)
        {
            return new SecretJson(default, null, "is binary, not a JSON object");
        }

        if (!TextChecks.IsValidUtf16(text))
        {
            return new SecretJson(default, null, "is not valid text (it holds an unpaired UTF-16 surrogate)");
        }

        try
        {
            using var document = JsonDocument.Parse(text, ParseOptions);
            var root = document.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SecretJson(root, null, $"is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not a JSON object");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[property.Name] = property.Value.GetString()!;
                        break;
                    case JsonValueKind.Null:
                        values.Remove(property.Name);
                        break;
                    default:
                        values[property.Name] = property.Value.GetRawText();
                        break;
                }
            }

            return new SecretJson(root, values.ToFrozenDictionary(StringComparer.Ordinal), string.Empty);
        }
        catch (JsonException ex)
        {
            // The exception's own message can quote part of the value: keep only the position.
            return new SecretJson(default, null, $"is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Text the parser cannot transcode, or a string it cannot read back; its message can quote the value.
            return new SecretJson(default, null, "is not valid JSON text");
        }
    }

    public SecretFormatException FormatError(string secretName, string? key = null) =>
        new(secretName,
            key is null
                ? $"The secret '{secretName}' {_problem}. Read it as a string instead."
                : $"Cannot read key '{key}': the secret '{secretName}' {_problem}.",
            key);
}
