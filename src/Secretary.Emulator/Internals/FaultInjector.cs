namespace Secretary.Emulator.Internals;

/// <summary>Holds the current <see cref="EmulatorFaults"/> (swapped atomically) and decides what a call gets.</summary>
internal sealed class FaultInjector
{
    private static readonly Dictionary<string, int> ErrorStatus = new(StringComparer.Ordinal)
    {
        ["InternalServiceError"] = 500,
        ["ServiceUnavailable"] = 503,
        ["ThrottlingException"] = 400,
        ["ResourceNotFoundException"] = 400,
        ["InvalidRequestException"] = 400,
        ["InvalidParameterException"] = 400,
        ["DecryptionFailure"] = 400,
        ["EncryptionFailure"] = 400,
        ["LimitExceededException"] = 400,
        ["AccessDeniedException"] = 400,
        ["InvalidNextTokenException"] = 400,
        ["ResourceExistsException"] = 400,
        ["PreconditionNotMetException"] = 400,
        ["MalformedPolicyDocumentException"] = 400,

        // Parameter Store's own names.
        ["InternalServerError"] = 500,
        ["ParameterNotFound"] = 400,
        ["ParameterVersionNotFound"] = 400,
        ["InvalidKeyId"] = 400,
    };

    private State _state = new(new EmulatorFaults(), new Random());

    public EmulatorFaults Current => Volatile.Read(ref _state).Faults.Duplicate();

    public bool Active
    {
        get
        {
            var faults = Volatile.Read(ref _state).Faults;
            return IsActive(faults.Global) || faults.Operations.Values.Any(IsActive);
        }
    }

    /// <summary>Validates and installs <paramref name="faults"/>; returns the list of problems (empty when installed).</summary>
    public IReadOnlyList<string> Set(EmulatorFaults faults)
    {
        var problems = new List<string>();
        Check("global", faults.Global, problems);
        foreach (var (operation, rule) in faults.Operations)
        {
            if (!SecretOperations.IsKnown(operation) && !StsEndpoint.IsKnown(operation) && !ParameterStore.ParameterOperations.IsKnown(operation))
            {
                problems.Add($"operations.{operation}: unknown operation.");
            }

            Check("operations." + operation, rule, problems);
        }

        if (problems.Count == 0)
        {
            var copy = faults.Duplicate();
            var random = copy.RandomSeed is { } seed ? new Random(seed) : new Random();
            Volatile.Write(ref _state, new State(copy, random));
        }

        return problems;
    }

    public void Clear() => Volatile.Write(ref _state, new State(new EmulatorFaults(), new Random()));

    /// <summary>Returns the rule that applies to <paramref name="operation"/>.</summary>
    public EmulatorFaultRule RuleFor(string operation)
    {
        var faults = Volatile.Read(ref _state).Faults;
        return faults.Operations.TryGetValue(operation, out var rule) ? rule : faults.Global;
    }

    /// <summary>Draws whether a call fails under <paramref name="rule"/>'s error rate.</summary>
    public bool Fires(EmulatorFaultRule rule)
    {
        if (rule.ErrorRate <= 0)
        {
            return false;
        }

        if (rule.ErrorRate >= 1)
        {
            return true;
        }

        var state = Volatile.Read(ref _state);
        lock (state.Random)
        {
            return state.Random.NextDouble() < rule.ErrorRate;
        }
    }

    public static int StatusOf(string errorType) => ErrorStatus.GetValueOrDefault(errorType, 400);

    private static bool IsActive(EmulatorFaultRule rule) =>
        rule.LatencyMs > 0 || rule.ErrorRate > 0 || rule.Throttle || rule.Outage || rule.DropConnection || rule.Hang;

    private static void Check(string where, EmulatorFaultRule? rule, List<string> problems)
    {
        if (rule is null)
        {
            problems.Add($"{where}: a rule object is required.");
            return;
        }

        if (rule.LatencyMs is < 0 or > 600_000)
        {
            problems.Add($"{where}.latencyMs must be within 0..600000.");
        }

        if (double.IsNaN(rule.ErrorRate) || rule.ErrorRate is < 0 or > 1)
        {
            problems.Add($"{where}.errorRate must be within 0..1.");
        }

        if (rule.ErrorType is not null && !ErrorStatus.ContainsKey(rule.ErrorType))
        {
            problems.Add($"{where}.errorType '{rule.ErrorType}' is not one of: {string.Join(", ", ErrorStatus.Keys)}.");
        }
    }

    private sealed record State(EmulatorFaults Faults, Random Random);
}
