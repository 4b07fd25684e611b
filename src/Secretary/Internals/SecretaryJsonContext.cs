using System.Text.Json.Serialization;

namespace Secretary.Internals;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SecretCacheStats))]
[JsonSerializable(typeof(SecretWarmReport))]
internal sealed partial class SecretaryJsonContext : JsonSerializerContext;
