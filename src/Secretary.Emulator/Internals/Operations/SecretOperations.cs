using System.Text.Json.Nodes;

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

    private static readonly Dictionary<string, string[]> OperationMembers = new(StringComparer.Ordinal)
    {
        ["CreateSecret"] = ["Name", TokenMember, "Description", "KmsKeyId", BinaryMember, StringMember, "Tags", "AddReplicaRegions", "ForceOverwriteReplicaSecret"],
        ["GetSecretValue"] = [SecretIdMember, "VersionId", "VersionStage"],
        ["BatchGetSecretValue"] = ["SecretIdList", "Filters", "MaxResults", "NextToken"],
        ["DescribeSecret"] = [SecretIdMember],
        ["ListSecrets"] = ["IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder", "SortBy"],
        ["ListSecretVersionIds"] = [SecretIdMember, "MaxResults", "NextToken", "IncludeDeprecated"],
        ["PutSecretValue"] = [SecretIdMember, TokenMember, BinaryMember, StringMember, "VersionStages", "RotationToken"],
        ["UpdateSecret"] = [SecretIdMember, TokenMember, "Description", "KmsKeyId", BinaryMember, StringMember],
        ["UpdateSecretVersionStage"] = [SecretIdMember, "VersionStage", "RemoveFromVersionId", "MoveToVersionId"],
        ["DeleteSecret"] = [SecretIdMember, "RecoveryWindowInDays", "ForceDeleteWithoutRecovery"],
        ["RestoreSecret"] = [SecretIdMember],
        ["RotateSecret"] = [SecretIdMember, TokenMember, "RotationLambdaARN", "RotationRules", "RotateImmediately"],
        ["TagResource"] = [SecretIdMember, "Tags"],
        ["UntagResource"] = [SecretIdMember, "TagKeys"],
        ["GetRandomPassword"] = ["PasswordLength", "ExcludeCharacters", "ExcludeNumbers", "ExcludePunctuation", "ExcludeUppercase", "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType"],
    };

    private readonly SecretStore _store;

    public SecretOperations(SecretStore store) => _store = store;

    /// <summary>Gets the names of the supported operations.</summary>
    public static IReadOnlyCollection<string> Names => OperationMembers.Keys;

    public static bool IsKnown(string operation) => OperationMembers.ContainsKey(operation);

    /// <summary>Runs one operation for <paramref name="region"/>; throws <see cref="EmulatorException"/> for service errors.</summary>
    public JsonObject Invoke(string operation, string region, JsonObject body)
    {
        if (!OperationMembers.TryGetValue(operation, out var members))
        {
            throw new EmulatorException("UnknownOperationException", $"The operation {operation} is not supported.");
        }

        var input = new RequestInput(body, members);
        if (operation == "GetRandomPassword")
        {
            return GetRandomPassword(input);
        }

        lock (_store.Sync)
        {
            _store.PurgeExpired();
            return operation switch
            {
                "CreateSecret" => CreateSecret(region, input),
                "GetSecretValue" => GetSecretValue(region, input),
                "BatchGetSecretValue" => BatchGetSecretValue(region, input),
                "DescribeSecret" => DescribeSecret(region, input),
                "ListSecrets" => ListSecrets(region, input),
                "ListSecretVersionIds" => ListSecretVersionIds(region, input),
                "PutSecretValue" => PutSecretValue(region, input),
                "UpdateSecret" => UpdateSecret(region, input),
                "UpdateSecretVersionStage" => UpdateSecretVersionStage(region, input),
                "DeleteSecret" => DeleteSecret(region, input),
                "RestoreSecret" => RestoreSecret(region, input),
                "RotateSecret" => RotateSecret(region, input),
                "TagResource" => TagResource(region, input),
                "UntagResource" => UntagResource(region, input),
                _ => throw new EmulatorException("UnknownOperationException", $"The operation {operation} is not supported."),
            };
        }
    }

    private SecretRecord RequireLive(string region, string secretId)
    {
        var secret = _store.Require(region, secretId);
        return secret.DeletedDate is null ? secret : throw EmulatorException.InvalidRequest(DeletedMessage);
    }

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    /// <summary>Epoch seconds with millisecond precision, as the service sends timestamps.</summary>
    internal static double Epoch(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
