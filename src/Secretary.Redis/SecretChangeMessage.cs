using System.Globalization;
using System.Text.Json;
using Secretary.Redis.Internals;

namespace Secretary.Redis;

/// <summary>
/// What the backplane publishes: a secret changed. Ids and a timestamp only, never a value or anything
/// derived from one. On the wire, a small JSON object:
/// <c>{"secretId":"db/main","versionId":"…","versionStage":"AWSCURRENT","origin":"host/42/ab12","observedAt":"2026-11-25T10:00:00.000+00:00"}</c>.
/// </summary>
public sealed class SecretChangeMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="secretId">The secret's name or ARN.</param>
    /// <param name="versionId">The new version id, when known (a receiver holding it makes no store call).</param>
    /// <param name="versionStage">The staging label that moved; AWSCURRENT when null.</param>
    /// <param name="origin">The publishing instance (<c>cli</c> for <c>secretary invalidate</c>).</param>
    /// <param name="observedAt">When the change was seen; a receiver that read the secret later ignores the message.</param>
    /// <exception cref="ArgumentException">An id is malformed.</exception>
    public SecretChangeMessage(string secretId, string? versionId, string? versionStage, string origin, DateTimeOffset observedAt)
    {
        new SecretRequest(secretId, versionId, versionStage).Validate();
        if (string.IsNullOrWhiteSpace(origin) || origin.Length > RedisBackplaneDefaults.MaxInstanceIdLength)
        {
            throw new ArgumentException($"The origin must be 1 to {RedisBackplaneDefaults.MaxInstanceIdLength} characters.", nameof(origin));
        }

        SecretId = secretId;
        VersionId = versionId;
        VersionStage = versionStage;
        Origin = origin;
        ObservedAt = observedAt;
    }

    /// <summary>The secret's name or ARN.</summary>
    public string SecretId { get; }

    /// <summary>The new version id, or null when not known.</summary>
    public string? VersionId { get; }

    /// <summary>The staging label, or null for AWSCURRENT.</summary>
    public string? VersionStage { get; }

    /// <summary>The instance that published the message.</summary>
    public string Origin { get; }

    /// <summary>When the change was seen.</summary>
    public DateTimeOffset ObservedAt { get; }

    /// <summary>The wire form (UTF-8 JSON).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("secretId", SecretId);
            if (VersionId is not null)
            {
                writer.WriteString("versionId", VersionId);
            }

            if (VersionStage is not null)
            {
                writer.WriteString("versionStage", VersionStage);
            }

            writer.WriteString("origin", Origin);
            writer.WriteString("observedAt", ObservedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the wire form; false (and null) when it is not a well-formed message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out SecretChangeMessage? message)
    {
        message = null;
        if (json.Length is 0 or > RedisBackplaneDefaults.MaxMessageBytes)
        {
            return false;
        }

        string? secretId = null, versionId = null, versionStage = null, origin = null;
        DateTimeOffset? observedAt = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue; // a field of a later version of the format
                }

                var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                switch (name)
                {
                    case "secretId": secretId = text; break;
                    case "versionId": versionId = text; break;
                    case "versionStage": versionStage = text; break;
                    case "origin": origin = text; break;
                    case "observedAt": observedAt = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) ? at : null; break;
                    default: break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || secretId is null || origin is null || observedAt is null)
            {
                return false;
            }

            message = new SecretChangeMessage(secretId, versionId, versionStage, origin, observedAt.Value);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{SecretId} ({VersionStage ?? SecretRequest.CurrentStage}, version {VersionId ?? "?"}) from {Origin}";
}
