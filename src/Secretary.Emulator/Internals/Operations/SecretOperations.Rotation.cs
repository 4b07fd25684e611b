using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Rotation.</content>
internal sealed partial class SecretOperations
{
    private const string RotationInProgress = "A previous rotation isn't complete. That rotation will be reattempted.";

    /// <summary>The rotation planned by the RotateSecret call holding the lock; taken by <see cref="InvokeAsync"/>.</summary>
    private RotationPlan? _plan;

    /// <summary>
    /// RotateSecret: stores the rotation settings, then — unless <c>RotateImmediately</c> is false — plans one rotation:
    /// a secret with an unfinished rotation (an AWSPENDING version that is not AWSCURRENT) resumes it with that version's
    /// token; otherwise the client's token (or a new one) names the new version. The steps run after the lock is released.
    /// </summary>
    private JsonObject RotateSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var lambdaArn = input.String("RotationLambdaARN", 0, 2048);
        var rules = input.Object("RotationRules");
        var immediately = input.Bool("RotateImmediately") ?? true;
        var externalMetadata = ReadExternalMetadata(input.Array("ExternalSecretRotationMetadata", 0, int.MaxValue));
        var externalRole = input.String("ExternalSecretRotationRoleArn", 20, 2048);
        if (rules is not null)
        {
            var ruleInput = new RequestInput(rules, ["AutomaticallyAfterDays", "Duration", "ScheduleExpression"], "RotationRules");
            var problem = RotationSchedule.Problem(
                ruleInput.Long("AutomaticallyAfterDays", 1, 1000),
                ruleInput.String("ScheduleExpression", 1, 256),
                ruleInput.String("Duration", 2, 3));
            if (problem is not null)
            {
                throw EmulatorException.InvalidParameter(problem);
            }
        }

        var secret = RequireWritable(region, secretId);
        var function = ResolveFunction(lambdaArn ?? secret.RotationLambdaArn);
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
        }

        if (rules is not null || lambdaArn is not null)
        {
            secret.RotationEnabled = true;
            secret.NextRotationDate = RotationSchedule.Next(secret.RotationRulesJson, now);
        }

        secret.LastChangedDate = now;
        if (!immediately)
        {
            return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        }

        var plan = PlanRotation(secret, token, function);
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["VersionId"] = plan?.Token ?? token };
    }

    /// <summary>Plans a rotation of <paramref name="secret"/> (caller holds the lock); null when <paramref name="token"/> names a finished one.</summary>
    private RotationPlan? PlanRotation(SecretRecord secret, string? token, RotationFunction function)
    {
        if (_rotating.Contains(secret.Arn))
        {
            throw EmulatorException.InvalidRequest(RotationInProgress);
        }

        var current = secret.Stage(EmulatorConstants.Current);
        var pending = secret.Stage(EmulatorConstants.Pending);
        string versionId;
        if (pending is not null && !ReferenceEquals(pending, current))
        {
            versionId = pending.VersionId;
        }
        else if (token is not null && secret.Version(token) is not null)
        {
            return null;
        }
        else
        {
            versionId = token ?? NewVersionId();
        }

        _rotating.Add(secret.Arn);
        _plan = new RotationPlan(secret.Region, secret.Arn, versionId, function, Guid.NewGuid().ToString());
        return _plan;
    }

    /// <summary>The function a <c>RotationLambdaARN</c> names, or the built-in generator when none is named.</summary>
    private RotationFunction ResolveFunction(string? rotationLambdaArn)
    {
        if (string.IsNullOrEmpty(rotationLambdaArn))
        {
            return _builtIn;
        }

        var name = RotationFunctionTarget.FunctionName(rotationLambdaArn);
        return _functions.GetValueOrDefault(name) ?? throw new EmulatorException(
            "AccessDeniedException",
            $"Secrets Manager cannot invoke the specified Lambda function. The emulator has no rotation function named {name}: start it with --rotation-function {name}=http://127.0.0.1:PORT/ or {name}=cmd:PATH.");
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

        return [.. RequestInput.Structures(array, "ExternalSecretRotationMetadata", "ExternalSecretRotationMetadataItem", ["Key", "Value"])
            .Select(item => new SecretTag { Key = item.Required("Key", 1, 256), Value = item.Required("Value", 1, 2048) })];
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
