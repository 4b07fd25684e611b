using System.Text.Json.Serialization;

namespace Secretary;

/// <summary>One secret's line in a <see cref="SecretWarmReport"/>. Never holds the value.</summary>
public sealed class SecretWarmDetail
{
    /// <summary>The secret id asked for.</summary>
    [JsonPropertyName("secret_name")]
    public required string SecretName { get; init; }

    /// <summary><c>success</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The TTL the value is cached with, in seconds (on success).</summary>
    [JsonPropertyName("ttl")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Ttl { get; init; }

    /// <summary>Top-level keys of a JSON value (on success; null for a plain string or binary value).</summary>
    [JsonPropertyName("keys_count")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? KeysCount { get; init; }

    /// <summary>The error category and message (on failure).</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
