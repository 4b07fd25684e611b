using System.Text.Json;
using System.Text.RegularExpressions;

namespace Secretary.Aws.Internals;

/// <summary>The awsJson1_1 shapes the store uses: GetSecretValue and BatchGetSecretValue requests and answers.</summary>
internal static partial class SecretsManagerJson
{
    public static byte[] GetSecretValueRequest(string secretId, string? versionId, string? versionStage)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("SecretId", secretId);
            if (versionId is not null)
            {
                writer.WriteString("VersionId", versionId);
            }

            if (versionStage is not null)
            {
                writer.WriteString("VersionStage", versionStage);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] BatchGetSecretValueRequest(IReadOnlyList<string> secretIds, string? nextToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("SecretIdList");
            foreach (var id in secretIds)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            if (nextToken is not null)
            {
                writer.WriteString("NextToken", nextToken);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a GetSecretValue answer (or one entry of BatchGetSecretValue's <c>SecretValues</c>).</summary>
    /// <exception cref="JsonException">The answer lacks the name or version.</exception>
    public static Secret ReadSecret(JsonElement value)
    {
        var name = value.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var versionId = value.TryGetProperty("VersionId", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(versionId))
        {
            throw new JsonException("A secret value in the answer has no Name or VersionId.");
        }

        var arn = value.TryGetProperty("ARN", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        string? text = value.TryGetProperty("SecretString", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        byte[]? binary = value.TryGetProperty("SecretBinary", out var b) && b.ValueKind == JsonValueKind.String ? b.GetBytesFromBase64() : null;
        if (text is null && binary is null)
        {
            text = string.Empty;
        }

        List<string>? stages = null;
        if (value.TryGetProperty("VersionStages", out var st) && st.ValueKind == JsonValueKind.Array)
        {
            stages = [.. st.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }

        DateTimeOffset? created = value.TryGetProperty("CreatedDate", out var c) && c.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(c.GetDouble() * 1000))
            : null;

        return text is not null
            ? new Secret(name, versionId, secretString: text, versionStages: stages, arn: arn, createdDate: created)
            : new Secret(name, versionId, secretBinary: binary, versionStages: stages, arn: arn, createdDate: created);
    }

    /// <summary>True when <paramref name="id"/> is a full or partial Secrets Manager ARN.</summary>
    public static bool IsArn(string id) => id.StartsWith("arn:", StringComparison.Ordinal);

    /// <summary>
    /// The id to send to <paramref name="region"/>: an ARN of one of <paramref name="knownRegions"/> gets the region
    /// being tried (replicas keep the name and suffix); names and ARNs of other regions are sent as they are.
    /// </summary>
    public static string ForRegion(string id, string region, IReadOnlyCollection<string> knownRegions)
    {
        var match = ArnPattern().Match(id);
        if (!match.Success)
        {
            return id;
        }

        var arnRegion = match.Groups["region"].Value;
        if (arnRegion == region || !knownRegions.Contains(arnRegion))
        {
            return id;
        }

        return string.Concat(id.AsSpan(0, match.Groups["region"].Index), region, id.AsSpan(match.Groups["region"].Index + arnRegion.Length));
    }

    /// <summary>True when a value of a batch answer is the one <paramref name="sentId"/> asked for (by name, full ARN or partial ARN).</summary>
    public static bool Answers(Secret secret, string sentId)
    {
        if (string.Equals(secret.Name, sentId, StringComparison.Ordinal))
        {
            return true;
        }

        if (secret.Arn is not { } arn || !IsArn(sentId))
        {
            return false;
        }

        // A partial ARN is the full ARN without the "-" and six random characters.
        return string.Equals(arn, sentId, StringComparison.Ordinal)
            || (arn.Length == sentId.Length + 7 && arn.StartsWith(sentId, StringComparison.Ordinal) && arn[sentId.Length] == '-');
    }

    [GeneratedRegex("^arn:(?<partition>[^:]+):secretsmanager:(?<region>[^:]+):(?<account>[^:]*):secret:", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();
}
