using System.Text.Json.Serialization;

namespace Secretary.Emulator;

/// <summary>One set of injected faults, applied either to every operation or to one (see <see cref="EmulatorFaults"/>).</summary>
/// <remarks>
/// Applied in this order: <see cref="LatencyMs"/> (honours request abort), <see cref="Hang"/>, <see cref="DropConnection"/>,
/// <see cref="Outage"/>, <see cref="Throttle"/>, then <see cref="ErrorRate"/>.
/// </remarks>
public sealed class EmulatorFaultRule
{
    /// <summary>Gets or sets a delay added before the call is handled.</summary>
    /// <value>Default 0 ms; 0..600000.</value>
    [JsonPropertyName("latencyMs")]
    public int LatencyMs { get; set; }

    /// <summary>Gets or sets the probability that a call fails with <see cref="ErrorType"/>.</summary>
    /// <value>Default 0; 0..1.</value>
    [JsonPropertyName("errorRate")]
    public double ErrorRate { get; set; }

    /// <summary>Gets or sets the error answered when <see cref="ErrorRate"/> fires.</summary>
    /// <value>Default <c>InternalServiceError</c> (500). Also <c>ServiceUnavailable</c> (503), <c>ThrottlingException</c> (400)
    /// or any Secrets Manager error name (400); for Parameter Store operations also <c>InternalServerError</c> (500),
    /// <c>ParameterNotFound</c>, <c>ParameterVersionNotFound</c> and <c>InvalidKeyId</c> (400).</value>
    [JsonPropertyName("errorType")]
    public string? ErrorType { get; set; }

    /// <summary>Gets or sets a value indicating whether every call is answered <c>ThrottlingException</c> (400, "Rate exceeded").</summary>
    [JsonPropertyName("throttle")]
    public bool Throttle { get; set; }

    /// <summary>Gets or sets a value indicating whether every call is answered <c>ServiceUnavailable</c> (503).</summary>
    [JsonPropertyName("outage")]
    public bool Outage { get; set; }

    /// <summary>Gets or sets a value indicating whether the connection is aborted without any response.</summary>
    [JsonPropertyName("dropConnection")]
    public bool DropConnection { get; set; }

    /// <summary>Gets or sets a value indicating whether the call never answers (until the client aborts or the emulator stops).</summary>
    [JsonPropertyName("hang")]
    public bool Hang { get; set; }

    internal EmulatorFaultRule Duplicate() => (EmulatorFaultRule)MemberwiseClone();
}
