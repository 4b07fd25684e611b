using System.Text.Json.Serialization;

namespace Secretary.Emulator;

/// <summary>
/// Fault injection settings: a global rule (the properties inherited from <see cref="EmulatorFaultRule"/> are mirrored here)
/// and optional per-operation rules. A per-operation rule replaces the global rule for that operation.
/// The JSON form is the body of <c>POST /_emulator/faults</c>.
/// </summary>
public sealed class EmulatorFaults
{
    /// <summary>Gets or sets the rule applied to every operation without its own rule.</summary>
    [JsonIgnore]
    public EmulatorFaultRule Global { get; set; } = new();

    /// <inheritdoc cref="EmulatorFaultRule.LatencyMs"/>
    [JsonPropertyName("latencyMs")]
    public int LatencyMs { get => Global.LatencyMs; set => Global.LatencyMs = value; }

    /// <inheritdoc cref="EmulatorFaultRule.ErrorRate"/>
    [JsonPropertyName("errorRate")]
    public double ErrorRate { get => Global.ErrorRate; set => Global.ErrorRate = value; }

    /// <inheritdoc cref="EmulatorFaultRule.ErrorType"/>
    [JsonPropertyName("errorType")]
    public string? ErrorType { get => Global.ErrorType; set => Global.ErrorType = value; }

    /// <inheritdoc cref="EmulatorFaultRule.Throttle"/>
    [JsonPropertyName("throttle")]
    public bool Throttle { get => Global.Throttle; set => Global.Throttle = value; }

    /// <inheritdoc cref="EmulatorFaultRule.Outage"/>
    [JsonPropertyName("outage")]
    public bool Outage { get => Global.Outage; set => Global.Outage = value; }

    /// <inheritdoc cref="EmulatorFaultRule.DropConnection"/>
    [JsonPropertyName("dropConnection")]
    public bool DropConnection { get => Global.DropConnection; set => Global.DropConnection = value; }

    /// <inheritdoc cref="EmulatorFaultRule.Hang"/>
    [JsonPropertyName("hang")]
    public bool Hang { get => Global.Hang; set => Global.Hang = value; }

    /// <summary>Gets or sets rules by operation name (for example <c>GetSecretValue</c>).</summary>
    [JsonPropertyName("operations")]
    public Dictionary<string, EmulatorFaultRule> Operations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a seed for the random draws of <c>errorRate</c>, for reproducible runs.</summary>
    /// <value>Default none (a random seed).</value>
    [JsonPropertyName("randomSeed")]
    public int? RandomSeed { get; set; }

    internal EmulatorFaults Duplicate() => new()
    {
        Global = Global.Duplicate(),
        Operations = Operations.ToDictionary(p => p.Key, p => p.Value.Duplicate(), StringComparer.Ordinal),
        RandomSeed = RandomSeed,
    };
}
