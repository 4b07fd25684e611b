using System.Text.Json.Serialization;

namespace Secretary.Emulator.Internals;

/// <summary>Source-generated JSON for everything the emulator serialises as a type (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DataFileDocument))]
internal sealed partial class DataFileJsonContext : JsonSerializerContext;

/// <summary>The admin API's fault documents: compact, unknown members refused.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EmulatorFaults))]
internal sealed partial class FaultsJsonContext : JsonSerializerContext;
