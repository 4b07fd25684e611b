using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Secretary.Emulator.Internals;

/// <summary>
/// The Secrets Manager operations over a <see cref="SecretStore"/>: request validation, semantics (versions, staging
/// labels, idempotency, deletion windows, built-in rotation) and the response documents.
/// </summary>
internal sealed partial class SecretOperations
{
    private const string SecretIdMember = "SecretId";

    private const string TokenMember = "ClientRequestToken";

    private const string StringMember = "SecretString";

    private const string BinaryMember = "SecretBinary";

    private const string DeletedMessage = "You can't perform this operation on the secret because it was marked for deletion.";

    private const string ReplicaMessage = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";

    /// <summary>Every operation of the API: the members it takes, whether it changes state, and its handler.</summary>
    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["BatchGetSecretValue"] = new(["SecretIdList", "Filters", "MaxResults", "NextToken"], false, (o, r, i) => o.BatchGetSecretValue(r, i)),
        ["CancelRotateSecret"] = new([SecretIdMember], true, (o, r, i) => o.CancelRotateSecret(r, i)),
        ["CreateSecret"] = new(["Name", TokenMember, "Description", "KmsKeyId", BinaryMember, StringMember, "Tags", "AddReplicaRegions", "ForceOverwriteReplicaSecret", "Type"], true, (o, r, i) => o.CreateSecret(r, i)),
        ["DeleteResourcePolicy"] = new([SecretIdMember], true, (o, r, i) => o.DeleteResourcePolicy(r, i)),
        ["DeleteSecret"] = new([SecretIdMember, "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"], true, (o, r, i) => o.DeleteSecret(r, i)),
        ["DescribeSecret"] = new([SecretIdMember], false, (o, r, i) => o.DescribeSecret(r, i)),
        ["GetRandomPassword"] = new(["PasswordLength", "ExcludeCharacters", "ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType"], false, (_, _, i) => GetRandomPassword(i)),
        ["GetResourcePolicy"] = new([SecretIdMember], false, (o, r, i) => o.GetResourcePolicy(r, i)),
        ["GetSecretValue"] = new([SecretIdMember, "VersionId", "VersionStage"], false, (o, r, i) => o.GetSecretValue(r, i)),
        ["ListSecretVersionIds"] = new([SecretIdMember, "MaxResults", "NextToken", "IncludeDeprecated"], false, (o, r, i) => o.ListSecretVersionIds(r, i)),
        ["ListSecrets"] = new(["IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy"], false, (o, r, i) => o.ListSecrets(r, i)),
        ["PutResourcePolicy"] = new([SecretIdMember, "ResourcePolicy", "BlockPublicPolicy"], true, (o, r, i) => o.PutResourcePolicy(r, i)),
        ["PutSecretValue"] = new([SecretIdMember, TokenMember, BinaryMember, StringMember, "VersionStages", "RotationToken"], true, (o, r, i) => o.PutSecretValue(r, i)),
        ["RemoveRegionsFromReplication"] = new([SecretIdMember, "RemoveReplicaRegions"], true, (o, r, i) => o.RemoveRegionsFromReplication(r, i)),
        ["ReplicateSecretToRegions"] = new([SecretIdMember, "AddReplicaRegions", "ForceOverwriteReplicaSecret"], true, (o, r, i) => o.ReplicateSecretToRegions(r, i)),
        ["RestoreSecret"] = new([SecretIdMember], true, (o, r, i) => o.RestoreSecret(r, i)),
        ["RotateSecret"] = new([SecretIdMember, TokenMember, "RotationLambdaARN", "RotationRules", "ExternalSecretRotationMetadata", "ExternalSecretRotationRoleArn", "RotateImmediately"], true, (o, r, i) => o.RotateSecret(r, i)),
        ["StopReplicationToReplica"] = new([SecretIdMember], true, (o, r, i) => o.StopReplicationToReplica(r, i)),
        ["TagResource"] = new([SecretIdMember, "Tags"], true, (o, r, i) => o.TagResource(r, i)),
        ["UntagResource"] = new([SecretIdMember, "TagKeys"], true, (o, r, i) => o.UntagResource(r, i)),
        ["UpdateSecret"] = new([SecretIdMember, TokenMember, "Description", "KmsKeyId", BinaryMember, StringMember, "Type"], true, (o, r, i) => o.UpdateSecret(r, i)),
        ["UpdateSecretVersionStage"] = new([SecretIdMember, "VersionStage", "RemoveFromVersionId", "MoveToVersionId"], true, (o, r, i) => o.UpdateSecretVersionStage(r, i)),
        ["ValidateResourcePolicy"] = new([SecretIdMember, "ResourcePolicy"], false, (o, r, i) => o.ValidateResourcePolicy(r, i)),
    };

    private readonly SecretStore _store;
    private readonly Dictionary<string, RotationFunction> _functions;
    private readonly RotationFunction _builtIn;
    private readonly TimeSpan _stepTimeout;
    private readonly ILogger _logger;
    private readonly HashSet<string> _rotating = new(StringComparer.Ordinal);
    private readonly Queue<RotationRecord> _history = new();

    public SecretOperations(SecretStore store, IEnumerable<RotationFunction>? functions = null, TimeSpan? stepTimeout = null, ILogger? logger = null)
    {
        _store = store;
        _functions = (functions ?? []).ToDictionary(f => f.Name, StringComparer.Ordinal);
        _builtIn = new BuiltInRotation(this);
        _stepTimeout = stepTimeout ?? EmulatorConstants.DefaultRotationStepTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised (under the store lock) when a rotation ends, succeeded or failed.</summary>
    public event Action<RotationRecord>? RotationFinished;

    /// <summary>Returns the last 100 rotations, oldest first.</summary>
    public IReadOnlyList<RotationRecord> Rotations()
    {
        lock (_store.Sync)
        {
            return [.. _history];
        }
    }

    /// <summary>Gets the names of the supported operations.</summary>
    public static IReadOnlyCollection<string> Names => Operations.Keys;

    public static bool IsKnown(string operation) => Operations.ContainsKey(operation);

    /// <summary>
    /// Runs one operation for <paramref name="region"/>; throws <see cref="EmulatorException"/> for service errors.
    /// An operation that changes state is all or nothing: its change reaches the replicas and the data file before it
    /// answers, and when it fails (a service error, a data file that cannot be written) the state is put back as it was.
    /// </summary>
    public JsonObject Invoke(string operation, string region, JsonObject body)
    {
        if (!Operations.TryGetValue(operation, out var definition))
        {
            throw new EmulatorException("UnknownOperationException", $"The operation {operation} is not supported.");
        }

        var input = new RequestInput(body, definition.Members);
        lock (_store.Sync)
        {
            _store.PurgeExpired();
            return definition.Mutates ? Mutate(() => definition.Run(this, region, input)) : definition.Run(this, region, input);
        }
    }

    /// <summary>Applies a change all or nothing (caller holds the lock): replicas follow, the data file is written, and a failure puts everything back.</summary>
    private T Mutate<T>(Func<T> change)
    {
        var before = _store.Snapshot();
        try
        {
            var result = change();
            SyncReplicas();
            _store.Persist();
            return result;
        }
        catch
        {
            _store.Restore(before);
            throw;
        }
    }

    private SecretRecord RequireLive(string region, string secretId)
    {
        var secret = _store.Require(region, secretId);
        return secret.DeletedDate is null ? secret : throw EmulatorException.InvalidRequest(DeletedMessage);
    }

    /// <summary>A live secret that may be written here: a replica is read-only in its region.</summary>
    private SecretRecord RequireWritable(string region, string secretId)
    {
        var secret = RequireLive(region, secretId);
        return secret.IsReplica ? throw EmulatorException.InvalidParameter(ReplicaMessage) : secret;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, EventName = "RotationStepFailed", Level = LogLevel.Warning, Message = "Rotation function {Function} failed its {Step} step; AWSPENDING stays, the next rotation resumes it")]
        public static partial void StepFailed(ILogger logger, string function, string step);
    }

    private sealed record Operation(string[] Members, bool Mutates, Func<SecretOperations, string, RequestInput, JsonObject> Run);

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add((JsonNode?)JsonValue.Create(value));
        }

        return array;
    }

    /// <summary>Epoch seconds with millisecond precision, as the service sends timestamps.</summary>
    internal static double Epoch(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
