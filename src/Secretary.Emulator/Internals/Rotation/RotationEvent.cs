using System.Text.Json.Serialization;

namespace Secretary.Emulator.Internals;

/// <summary>The event a rotation function receives for each step, as Secrets Manager sends it to a rotation Lambda.</summary>
internal sealed record RotationEvent(
    [property: JsonPropertyName("SecretId")] string SecretId,
    [property: JsonPropertyName("ClientRequestToken")] string ClientRequestToken,
    [property: JsonPropertyName("Step")] string Step,
    [property: JsonPropertyName("RotationToken")] string RotationToken)
{
    public static readonly string[] Steps = ["createSecret", "setSecret", "testSecret", "finishSecret"];
}

[JsonSerializable(typeof(RotationEvent))]
internal sealed partial class RotationEventJsonContext : JsonSerializerContext;
