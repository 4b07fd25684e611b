using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Running rotations: the four steps outside the lock, scheduled rotations, the end of a rotation and its record.</content>
internal sealed partial class SecretOperations
{
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
}
