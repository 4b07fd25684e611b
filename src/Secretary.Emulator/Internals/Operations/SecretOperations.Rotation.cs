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

        var secret = RequireLive(region, secretId);
        var now = _store.Now;
        if (lambdaArn is not null)
        {
            secret.RotationLambdaArn = lambdaArn;
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
            _store.Persist();
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

        _store.Persist();
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["VersionId"] = versionId };
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
