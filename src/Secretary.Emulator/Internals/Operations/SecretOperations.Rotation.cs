using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Rotation.</content>
internal sealed partial class SecretOperations
{
    private JsonObject RotateSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var lambdaArn = input.String("RotationLambdaARN", 0, 2048);
        var rules = input.Object("RotationRules");
        var immediately = input.Bool("RotateImmediately") ?? true;
        var externalMetadata = ReadExternalMetadata(input.Array("ExternalSecretRotationMetadata", 0, int.MaxValue));
        var externalRole = input.String("ExternalSecretRotationRoleArn", 20, 2048);
        long? afterDays = null;
        if (rules is not null)
        {
            var ruleInput = new RequestInput(rules, ["AutomaticallyAfterDays", "Duration", "ScheduleExpression"]);
            afterDays = ruleInput.Long("AutomaticallyAfterDays", 1, 1000);
            ruleInput.String("Duration", 2, 3);
            var schedule = ruleInput.String("ScheduleExpression", 1, 256);
            if (afterDays is not null && schedule is not null)
            {
                throw EmulatorException.InvalidParameter("You can't specify both AutomaticallyAfterDays and ScheduleExpression.");
            }
        }

        var secret = RequireWritable(region, secretId);
        var now = _store.Now;
        if (lambdaArn is not null)
        {
            secret.RotationLambdaArn = lambdaArn;
        }

        if (externalMetadata is not null)
        {
            secret.ExternalRotationMetadata = externalMetadata;
        }

        if (externalRole is not null)
        {
            secret.ExternalRotationRoleArn = externalRole;
        }

        if (rules is not null)
        {
            secret.RotationRulesJson = rules.ToJsonString();
            secret.RotationEnabled = true;
            secret.NextRotationDate = afterDays is { } days ? now.AddDays(days) : null;
        }

        if (!immediately)
        {
            secret.LastChangedDate = now;
            return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        }

        var versionId = token ?? NewVersionId();
        if (secret.Version(versionId) is null)
        {
            var current = secret.Stage(EmulatorConstants.Current);
            var pending = secret.Stage(EmulatorConstants.Pending);
            if (pending is not null && !ReferenceEquals(pending, current))
            {
                throw EmulatorException.InvalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
            }

            pending?.Stages.Remove(EmulatorConstants.Pending);
            var (text, binary) = RotatedValue(current);
            var created = AddVersion(secret, versionId, text, binary, [EmulatorConstants.Pending]);
            MoveStage(secret, EmulatorConstants.Current, created);
            created.Stages.Remove(EmulatorConstants.Pending);
            secret.LastRotatedDate = now;
            if (afterDays is null && secret.RotationRulesJson is not null)
            {
                var saved = JsonNode.Parse(secret.RotationRulesJson)?["AutomaticallyAfterDays"];
                if (saved is JsonValue savedDays && savedDays.TryGetValue<long>(out var d))
                {
                    secret.NextRotationDate = now.AddDays(d);
                }
            }

            TrimVersions(secret);
        }

        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["VersionId"] = versionId };
    }

    /// <summary>Turns rotation off; a rotation in progress keeps its AWSPENDING version, as the service does.</summary>
    private JsonObject CancelRotateSecret(string region, RequestInput input)
    {
        var secret = RequireWritable(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        secret.RotationEnabled = false;
        secret.NextRotationDate = null;
        secret.LastChangedDate = _store.Now;
        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (secret.Stage(EmulatorConstants.Pending) is { } pending && !pending.Stages.Contains(EmulatorConstants.Current, StringComparer.Ordinal))
        {
            response["VersionId"] = pending.VersionId;
        }

        return response;
    }

    private static List<SecretTag>? ReadExternalMetadata(JsonArray? array)
    {
        if (array is null)
        {
            return null;
        }

        var items = new List<SecretTag>();
        var index = 0;
        foreach (var node in array)
        {
            index++;
            if (node is not JsonObject item)
            {
                throw EmulatorException.Serialization("Expected a list of ExternalSecretRotationMetadataItem structures for member ExternalSecretRotationMetadata.");
            }

            var itemInput = new RequestInput(item, ["Key", "Value"], $"ExternalSecretRotationMetadata.{index}.member");
            items.Add(new SecretTag { Key = itemInput.Required("Key", 1, 256), Value = itemInput.Required("Value", 1, 2048) });
        }

        return items;
    }

    private static (string? Text, byte[]? Binary) RotatedValue(SecretVersion? current)
    {
        string NewPassword() => PasswordGenerator.Generate(EmulatorConstants.DefaultPasswordLength, PasswordGenerator.RotationExcludes);
        if (current?.SecretBinary is not null)
        {
            return (null, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        if (current?.SecretString is { } text && text.TrimStart().StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(text) is JsonObject json && json.ContainsKey("password"))
                {
                    json["password"] = NewPassword();
                    return (json.ToJsonString(), null);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: replace the whole value below.
            }
        }

        return (NewPassword(), null);
    }
}
