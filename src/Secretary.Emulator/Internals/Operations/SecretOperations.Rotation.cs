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

    /// <summary>Runs an operation; RotateSecret also runs the rotation it planned, its steps outside the lock.</summary>
    public async Task<JsonObject> InvokeAsync(string operation, string region, JsonObject body, CancellationToken cancellationToken)
    {
        RotationPlan? plan;
        JsonObject response;
        lock (_store.Sync)
        {
            _plan = null;
            response = Invoke(operation, region, body);
            plan = _plan;
            _plan = null;
        }

        if (plan is not null)
        {
            await RunRotationAsync(plan, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Rotates every secret whose <c>NextRotationDate</c> has come (on the emulator's clock), one after another.</summary>
    public async Task RotateDueAsync(CancellationToken cancellationToken)
    {
        var plans = new List<RotationPlan>();
        lock (_store.Sync)
        {
            var now = _store.Now;
            foreach (var secret in _store.AllRegions().Where(s => s is { RotationEnabled: true, DeletedDate: null, IsReplica: false } && s.NextRotationDate <= now && !_rotating.Contains(s.Arn)).ToList())
            {
                try
                {
                    if (PlanRotation(secret, null, ResolveFunction(secret.RotationLambdaArn)) is { } plan)
                    {
                        plans.Add(plan);
                    }
                }
                catch (EmulatorException ex)
                {
                    Record(new RotationRecord(secret.Arn, "-", secret.RotationLambdaArn ?? "built-in", now, now, false, null, ex.Message));
                }
            }

            _plan = null;
        }

        foreach (var plan in plans)
        {
            await RunRotationAsync(plan, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The four steps, in order, each with the event a rotation Lambda gets. A failed step ends the rotation and leaves
    /// AWSPENDING where the function put it (the next rotation resumes it); after a successful finishSecret the new
    /// version is AWSCURRENT, loses AWSPENDING, and the dates move on.
    /// </summary>
    private async Task RunRotationAsync(RotationPlan plan, CancellationToken cancellationToken)
    {
        var started = _store.Now;
        string? failedStep = null;
        string? error = null;
        try
        {
            foreach (var step in RotationEvent.Steps)
            {
                using var timeout = new CancellationTokenSource(_stepTimeout, _store.TimeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                try
                {
                    error = await plan.Function.InvokeAsync(new RotationEvent(plan.Arn, plan.Token, step, plan.RotationToken), plan.Region, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    error = $"The step did not finish within {_stepTimeout}.";
                }
                catch (EmulatorException ex)
                {
                    error = $"{ex.Type}: {ex.Message}";
                }

                if (error is not null)
                {
                    failedStep = step;
                    Log.StepFailed(_logger, plan.Function.Name, step);
                    break;
                }
            }

            lock (_store.Sync)
            {
                if (failedStep is null)
                {
                    error = FinishRotation(plan);
                    failedStep = error is null ? null : "finishSecret";
                }
            }
        }
        finally
        {
            lock (_store.Sync)
            {
                _rotating.Remove(plan.Arn);
                Record(new RotationRecord(plan.Arn, plan.Token, plan.Function.Name, started, _store.Now, failedStep is null, failedStep, error));
            }
        }
    }

    /// <summary>Checks and completes a rotation whose four steps succeeded (caller holds the lock); returns what is wrong, or null.</summary>
    private string? FinishRotation(RotationPlan plan)
    {
        var secret = _store.Find(plan.Region, plan.Arn);
        if (secret?.Version(plan.Token) is not { } version || !version.Stages.Contains(EmulatorConstants.Current, StringComparer.Ordinal))
        {
            return "finishSecret succeeded but did not move AWSCURRENT to the new version.";
        }

        Mutate(() =>
        {
            version.Stages.Remove(EmulatorConstants.Pending);
            var now = _store.Now;
            secret.LastRotatedDate = now;
            secret.LastChangedDate = now;
            if (secret.RotationEnabled == true)
            {
                secret.NextRotationDate = RotationSchedule.Next(secret.RotationRulesJson, now);
            }

            return 0;
        });
        return null;
    }

    private void Record(RotationRecord record)
    {
        _history.Enqueue(record);
        while (_history.Count > 100)
        {
            _history.Dequeue();
        }

        RotationFinished?.Invoke(record);
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
