using System.Text.Json;
using System.Text.Json.Serialization;
using Secretary.Internals;

namespace Secretary;

/// <summary>The result of <see cref="ISecretCache.WarmAsync"/>, in the specification's warming-report shape.</summary>
public sealed class SecretWarmReport
{
    /// <summary>Secrets asked for.</summary>
    [JsonPropertyName("total_secrets")]
    public int TotalSecrets { get; init; }

    /// <summary>Secrets now cached.</summary>
    [JsonPropertyName("successful")]
    public int Successful { get; init; }

    /// <summary>Secrets that could not be read.</summary>
    [JsonPropertyName("failed")]
    public int Failed { get; init; }

    /// <summary>One line per secret.</summary>
    [JsonPropertyName("details")]
    public IReadOnlyList<SecretWarmDetail> Details { get; init; } = [];

    /// <summary>Wall time of the warm-up.</summary>
    [JsonPropertyName("duration_seconds")]
    public double DurationSeconds { get; init; }

    /// <summary>Store round trips the warm-up made.</summary>
    [JsonPropertyName("store_calls")]
    public int StoreCalls { get; init; }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SecretaryJsonContext.Readable.SecretWarmReport);
}
