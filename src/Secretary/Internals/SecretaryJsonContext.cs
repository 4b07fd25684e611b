using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Secretary.Internals;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SecretCacheStats))]
[JsonSerializable(typeof(SecretWarmReport))]
internal sealed partial class SecretaryJsonContext : JsonSerializerContext
{
    /// <summary>Indented, and without escaping quotes and non-ASCII text (documents for people and scrapers, not HTML).</summary>
    public static SecretaryJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
