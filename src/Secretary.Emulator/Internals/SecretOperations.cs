using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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
        ["ListSecrets"] = ["IncludePlannedDeletion", "MaxResults", "NextToken", "Filters", "SortOrder"],
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

    private static readonly string[] FilterKeys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

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

    private JsonObject CreateSecret(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, EmulatorConstants.MaxNameLength);
        var token = input.String(TokenMember, 32, 64);
        var description = input.String("Description", 0, EmulatorConstants.MaxDescriptionLength);
        var kmsKeyId = input.String("KmsKeyId", 0, 2048);
        var (text, binary) = ReadValue(input);
        var tags = ReadTags(input.Array("Tags", 0, int.MaxValue));
        input.Bool("ForceOverwriteReplicaSecret");
        if (input.Array("AddReplicaRegions", 1, int.MaxValue) is not null)
        {
            throw EmulatorException.InvalidRequest("The emulator does not support replica regions.");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw EmulatorException.InvalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }

        if (tags.Count > EmulatorConstants.MaxTags)
        {
            throw EmulatorException.InvalidParameter($"A secret can have at most {EmulatorConstants.MaxTags} tags.");
        }

        if (_store.Region(region).TryGetValue(name, out var existing))
        {
            if (existing.DeletedDate is not null)
            {
                throw EmulatorException.InvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
            }

            if (token is not null && existing.Version(token) is { } same && HasValue(text, binary) && same.SameValue(text, binary))
            {
                return new JsonObject { ["ARN"] = existing.Arn, ["Name"] = existing.Name, ["VersionId"] = same.VersionId };
            }

            throw EmulatorException.Exists($"The operation failed because the secret {name} already exists.");
        }

        var secret = _store.NewSecret(region, name);
        secret.Description = description;
        secret.KmsKeyId = kmsKeyId;
        secret.Tags = tags;
        SecretVersion? version = null;
        if (HasValue(text, binary))
        {
            version = AddVersion(secret, token ?? NewVersionId(), text, binary, [EmulatorConstants.Current]);
        }

        _store.Persist();
        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (version is not null)
        {
            response["VersionId"] = version.VersionId;
        }

        return response;
    }

    private JsonObject GetSecretValue(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var versionId = input.String("VersionId", 32, 64);
        var stage = input.String("VersionStage", 1, 256);
        var secret = _store.Require(region, secretId);
        return ReadValue(secret, versionId, stage);
    }

    private JsonObject ReadValue(SecretRecord secret, string? versionId, string? stage)
    {
        if (secret.DeletedDate is not null)
        {
            throw EmulatorException.InvalidRequest(DeletedMessage);
        }

        var version = versionId is not null ? secret.Version(versionId) : secret.Stage(stage ?? EmulatorConstants.Current);
        if (version is not null && versionId is not null && stage is not null && !version.Stages.Contains(stage, StringComparer.Ordinal))
        {
            version = null;
        }

        if (version is null)
        {
            throw EmulatorException.NotFound(versionId is not null
                ? $"Secrets Manager can't find the specified secret value for VersionId: {versionId}"
                : $"Secrets Manager can't find the specified secret value for staging label: {stage ?? EmulatorConstants.Current}");
        }

        var today = new DateTimeOffset(_store.Now.UtcDateTime.Date, TimeSpan.Zero);
        version.LastAccessedDate = today;
        secret.LastAccessedDate = today;
        var response = new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = version.VersionId,
        };
        if (version.SecretBinary is not null)
        {
            response[BinaryMember] = Convert.ToBase64String(version.SecretBinary);
        }

        if (version.SecretString is not null)
        {
            response[StringMember] = version.SecretString;
        }

        response["VersionStages"] = Strings(version.Stages);
        response["CreatedDate"] = Epoch(version.CreatedDate);
        return response;
    }

    private JsonObject BatchGetSecretValue(string region, RequestInput input)
    {
        var ids = input.StringList("SecretIdList", 1, 20, 1, EmulatorConstants.MaxSecretIdLength);
        var filters = input.Array("Filters", 0, 10);
        var maxResults = input.Long("MaxResults", 1, 20);
        var nextToken = input.String("NextToken", 1, 4096);
        if ((ids is null) == (filters is null))
        {
            throw EmulatorException.InvalidParameter("Either SecretIdList or Filters must be specified, but not both.");
        }

        var values = new JsonArray();
        var errors = new JsonArray();
        var response = new JsonObject();
        if (ids is not null)
        {
            if (maxResults is not null || nextToken is not null)
            {
                throw EmulatorException.InvalidParameter("MaxResults and NextToken can be used only with Filters.");
            }

            foreach (var id in ids)
            {
                try
                {
                    values.Add(ReadValue(_store.Require(region, id), null, null));
                }
                catch (EmulatorException ex)
                {
                    errors.Add(new JsonObject { [SecretIdMember] = id, ["ErrorCode"] = ex.Type, ["Message"] = ex.Message });
                }
            }
        }
        else
        {
            var predicate = ParseFilters(filters!);
            var matched = _store.All(region).Where(s => s.DeletedDate is null && predicate(s)).OrderBy(s => s.CreatedDate).ThenBy(s => s.Sequence).ToList();
            var (page, next) = Page(matched, (int)(maxResults ?? 20), nextToken, "BatchGetSecretValue");
            foreach (var secret in page)
            {
                try
                {
                    values.Add(ReadValue(secret, null, null));
                }
                catch (EmulatorException ex)
                {
                    errors.Add(new JsonObject { [SecretIdMember] = secret.Name, ["ErrorCode"] = ex.Type, ["Message"] = ex.Message });
                }
            }

            if (next is not null)
            {
                response["NextToken"] = next;
            }
        }

        response["SecretValues"] = values;
        response["Errors"] = errors;
        return response;
    }

    private JsonObject DescribeSecret(string region, RequestInput input)
    {
        var secret = _store.Require(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        return Describe(secret, "VersionIdsToStages");
    }

    private JsonObject ListSecrets(string region, RequestInput input)
    {
        var includeDeleted = input.Bool("IncludePlannedDeletion") ?? false;
        var maxResults = input.Long("MaxResults", 1, 100);
        var nextToken = input.String("NextToken", 1, 4096);
        var filters = input.Array("Filters", 0, 10);
        var sortOrder = input.String("SortOrder", 0, 16);
        if (sortOrder is not null and not "asc" and not "desc")
        {
            throw EmulatorException.Validation("Value at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]");
        }

        var predicate = filters is null ? (_ => true) : ParseFilters(filters);
        var matched = _store.All(region).Where(s => (includeDeleted || s.DeletedDate is null) && predicate(s));
        var ordered = sortOrder == "asc"
            ? matched.OrderBy(s => s.CreatedDate).ThenBy(s => s.Sequence)
            : matched.OrderByDescending(s => s.CreatedDate).ThenByDescending(s => s.Sequence);
        var (page, next) = Page(ordered.ToList(), (int)(maxResults ?? 100), nextToken, "ListSecrets");
        var list = new JsonArray();
        foreach (var secret in page)
        {
            list.Add(Describe(secret, "SecretVersionsToStages"));
        }

        var response = new JsonObject { ["SecretList"] = list };
        if (next is not null)
        {
            response["NextToken"] = next;
        }

        return response;
    }

    private JsonObject ListSecretVersionIds(string region, RequestInput input)
    {
        var secret = _store.Require(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        var maxResults = input.Long("MaxResults", 1, 100);
        var nextToken = input.String("NextToken", 1, 4096);
        var includeDeprecated = input.Bool("IncludeDeprecated") ?? false;
        var versions = Enumerable.Reverse(secret.Versions).Where(v => includeDeprecated || v.Stages.Count > 0).ToList();
        var (page, next) = Page(versions, (int)(maxResults ?? 100), nextToken, "ListSecretVersionIds");
        var list = new JsonArray();
        foreach (var version in page)
        {
            var entry = new JsonObject { ["VersionId"] = version.VersionId, ["VersionStages"] = Strings(version.Stages) };
            if (version.LastAccessedDate is { } accessed)
            {
                entry["LastAccessedDate"] = Epoch(accessed);
            }

            entry["CreatedDate"] = Epoch(version.CreatedDate);
            list.Add(entry);
        }

        var response = new JsonObject { ["Versions"] = list };
        if (next is not null)
        {
            response["NextToken"] = next;
        }

        response["ARN"] = secret.Arn;
        response["Name"] = secret.Name;
        return response;
    }

    private JsonObject PutSecretValue(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var (text, binary) = ReadValue(input);
        var stages = input.StringList("VersionStages", 1, 20, 1, 256);
        input.String("RotationToken", 36, 256);
        var secret = RequireLive(region, secretId);
        if (!HasValue(text, binary))
        {
            throw EmulatorException.InvalidParameter("You must provide either SecretString or SecretBinary.");
        }

        var version = AddOrReuseVersion(secret, token, text, binary, stages ?? [EmulatorConstants.Current]);
        _store.Persist();
        return new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = version.VersionId,
            ["VersionStages"] = Strings(version.Stages),
        };
    }

    private JsonObject UpdateSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var description = input.String("Description", 0, EmulatorConstants.MaxDescriptionLength);
        var kmsKeyId = input.String("KmsKeyId", 0, 2048);
        var (text, binary) = ReadValue(input);
        var secret = RequireLive(region, secretId);
        SecretVersion? version = null;
        if (HasValue(text, binary))
        {
            version = AddOrReuseVersion(secret, token, text, binary, [EmulatorConstants.Current]);
        }

        if (input.Has("Description"))
        {
            secret.Description = description;
        }

        if (input.Has("KmsKeyId"))
        {
            secret.KmsKeyId = kmsKeyId;
        }

        secret.LastChangedDate = _store.Now;
        _store.Persist();
        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (version is not null)
        {
            response["VersionId"] = version.VersionId;
        }

        return response;
    }

    private JsonObject UpdateSecretVersionStage(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var stage = input.Required("VersionStage", 1, 256);
        var removeFrom = input.String("RemoveFromVersionId", 32, 64);
        var moveTo = input.String("MoveToVersionId", 32, 64);
        var secret = RequireLive(region, secretId);
        if (removeFrom is null && moveTo is null)
        {
            throw EmulatorException.InvalidParameter("You must specify RemoveFromVersionId, MoveToVersionId, or both.");
        }

        var holder = secret.Stage(stage);
        SecretVersion? removeVersion = null;
        if (removeFrom is not null)
        {
            removeVersion = secret.Version(removeFrom)
                ?? throw EmulatorException.NotFound($"Secrets Manager can't find the specified secret version: {removeFrom}");
            if (!ReferenceEquals(holder, removeVersion))
            {
                throw EmulatorException.InvalidParameter($"The staging label {stage} is not attached to version {removeFrom}, so it can't be removed from it.");
            }
        }

        if (moveTo is not null)
        {
            var target = secret.Version(moveTo)
                ?? throw EmulatorException.NotFound($"Secrets Manager can't find the specified secret version: {moveTo}");
            if (holder is not null && !ReferenceEquals(holder, target) && removeVersion is null)
            {
                throw EmulatorException.InvalidParameter(
                    $"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.");
            }

            if (!target.Stages.Contains(stage, StringComparer.Ordinal) && target.Stages.Count >= 20)
            {
                throw new EmulatorException("LimitExceededException", "A version can have at most 20 staging labels.");
            }

            MoveStage(secret, stage, target);
        }
        else
        {
            if (stage == EmulatorConstants.Current)
            {
                throw EmulatorException.InvalidParameter("You can't remove the staging label AWSCURRENT from a version; move it to another version with MoveToVersionId.");
            }

            removeVersion!.Stages.Remove(stage);
        }

        secret.LastChangedDate = _store.Now;
        TrimVersions(secret);
        _store.Persist();
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }

    private JsonObject DeleteSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var window = input.Long("RecoveryWindowInDays", long.MinValue, long.MaxValue);
        var force = input.Bool("ForceDeleteWithoutRecovery") ?? false;
        if (window is not null && force)
        {
            throw EmulatorException.InvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        if (window is < 7 or > 30)
        {
            throw EmulatorException.InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }

        var secret = _store.Require(region, secretId);
        var now = _store.Now;
        DateTimeOffset deletionDate;
        if (force)
        {
            deletionDate = now;
            _store.Remove(secret);
        }
        else
        {
            if (secret.DeletedDate is not null)
            {
                throw EmulatorException.InvalidRequest("You can't perform this operation on the secret because it was already scheduled for deletion.");
            }

            deletionDate = now.AddDays(window ?? EmulatorConstants.DefaultRecoveryWindowDays);
            secret.DeletedDate = now;
            secret.DeletionDate = deletionDate;
        }

        _store.Persist();
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["DeletionDate"] = Epoch(deletionDate) };
    }

    private JsonObject RestoreSecret(string region, RequestInput input)
    {
        var secret = _store.Require(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        if (secret.DeletedDate is not null)
        {
            secret.DeletedDate = null;
            secret.DeletionDate = null;
            secret.LastChangedDate = _store.Now;
            _store.Persist();
        }

        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }

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

    private JsonObject TagResource(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var tags = ReadTags(input.Array("Tags", 0, int.MaxValue, required: true));
        var secret = RequireLive(region, secretId);
        foreach (var tag in tags)
        {
            var existing = secret.Tags.Find(t => string.Equals(t.Key, tag.Key, StringComparison.Ordinal));
            if (existing is null)
            {
                secret.Tags.Add(tag);
            }
            else
            {
                existing.Value = tag.Value;
            }
        }

        if (secret.Tags.Count > EmulatorConstants.MaxTags)
        {
            throw EmulatorException.InvalidParameter($"A secret can have at most {EmulatorConstants.MaxTags} tags.");
        }

        secret.LastChangedDate = _store.Now;
        _store.Persist();
        return [];
    }

    private JsonObject UntagResource(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var keys = input.StringList("TagKeys", 0, int.MaxValue, 1, 128, required: true)!;
        var secret = RequireLive(region, secretId);
        secret.Tags.RemoveAll(t => keys.Contains(t.Key, StringComparer.Ordinal));
        secret.LastChangedDate = _store.Now;
        _store.Persist();
        return [];
    }

    private static JsonObject GetRandomPassword(RequestInput input)
    {
        var length = input.Long("PasswordLength", 1, 4096) ?? EmulatorConstants.DefaultPasswordLength;
        var password = PasswordGenerator.Generate(
            (int)length,
            input.String("ExcludeCharacters", 0, 4096),
            input.Bool("ExcludeNumbers") ?? false,
            input.Bool("ExcludePunctuation") ?? false,
            input.Bool("ExcludeUppercase") ?? false,
            input.Bool("ExcludeLowercase") ?? false,
            input.Bool("IncludeSpace") ?? false,
            input.Bool("RequireEachIncludedType") ?? true);
        return new JsonObject { ["RandomPassword"] = password };
    }

    private SecretRecord RequireLive(string region, string secretId)
    {
        var secret = _store.Require(region, secretId);
        return secret.DeletedDate is null ? secret : throw EmulatorException.InvalidRequest(DeletedMessage);
    }

    private SecretVersion AddOrReuseVersion(SecretRecord secret, string? token, string? text, byte[]? binary, IReadOnlyList<string> stages)
    {
        if (token is not null && secret.Version(token) is { } existing)
        {
            return existing.SameValue(text, binary)
                ? existing
                : throw EmulatorException.Exists("You can't modify an existing version, you can only create a new version. The ClientRequestToken is already used by a version with a different value.");
        }

        return AddVersion(secret, token ?? NewVersionId(), text, binary, stages);
    }

    private SecretVersion AddVersion(SecretRecord secret, string versionId, string? text, byte[]? binary, IReadOnlyList<string> stages)
    {
        var now = _store.Now;
        var version = new SecretVersion { VersionId = versionId, SecretString = text, SecretBinary = binary, CreatedDate = now };
        secret.Versions.Add(version);
        foreach (var stage in stages.Distinct(StringComparer.Ordinal))
        {
            MoveStage(secret, stage, version);
        }

        secret.LastChangedDate = now;
        TrimVersions(secret);
        return version;
    }

    /// <summary>Attaches <paramref name="stage"/> to <paramref name="target"/>; moving AWSCURRENT hands AWSPREVIOUS to the old current version.</summary>
    private static void MoveStage(SecretRecord secret, string stage, SecretVersion target)
    {
        var holder = secret.Stage(stage);
        if (ReferenceEquals(holder, target))
        {
            return;
        }

        holder?.Stages.Remove(stage);
        target.Stages.Add(stage);
        if (stage == EmulatorConstants.Current && holder is not null)
        {
            secret.Stage(EmulatorConstants.Previous)?.Stages.Remove(EmulatorConstants.Previous);
            holder.Stages.Add(EmulatorConstants.Previous);
        }
    }

    /// <summary>Drops the oldest versions without a staging label beyond the kept maximum.</summary>
    private static void TrimVersions(SecretRecord secret)
    {
        var excess = secret.Versions.Count - EmulatorConstants.MaxVersionsKept;
        for (var i = 0; excess > 0 && i < secret.Versions.Count;)
        {
            if (secret.Versions[i].Stages.Count == 0)
            {
                secret.Versions.RemoveAt(i);
                excess--;
            }
            else
            {
                i++;
            }
        }
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

    private static (string? Text, byte[]? Binary) ReadValue(RequestInput input)
    {
        var text = input.String(StringMember, 1, EmulatorConstants.MaxSecretValueBytes);
        var binary = input.Blob(BinaryMember, 1, EmulatorConstants.MaxSecretValueBytes);
        if (text is not null && binary is not null)
        {
            throw EmulatorException.InvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        }

        if (text is not null && Encoding.UTF8.GetByteCount(text) > EmulatorConstants.MaxSecretValueBytes)
        {
            throw EmulatorException.Validation($"Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to {EmulatorConstants.MaxSecretValueBytes}");
        }

        return (text, binary);
    }

    private static bool HasValue(string? text, byte[]? binary) => text is not null || binary is not null;

    private static List<SecretTag> ReadTags(JsonArray? array)
    {
        var tags = new List<SecretTag>();
        foreach (var item in array ?? [])
        {
            if (item is not JsonObject tag)
            {
                throw EmulatorException.Serialization("Expected a list of Tag structures for member Tags.");
            }

            var tagInput = new RequestInput(tag, ["Key", "Value"]);
            var key = tagInput.Required("Key", 1, 128);
            var value = tagInput.String("Value", 0, 256) ?? string.Empty;
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw EmulatorException.InvalidParameter("Tag keys can't start with the reserved prefix aws:.");
            }

            tags.RemoveAll(t => t.Key == key);
            tags.Add(new SecretTag { Key = key, Value = value });
        }

        return tags;
    }

    private static Func<SecretRecord, bool> ParseFilters(JsonArray filters)
    {
        var predicates = new List<Func<SecretRecord, bool>>();
        foreach (var item in filters)
        {
            if (item is not JsonObject filter)
            {
                throw EmulatorException.Serialization("Expected a list of Filter structures for member Filters.");
            }

            var filterInput = new RequestInput(filter, ["Key", "Values"]);
            var key = filterInput.String("Key", 0, 64);
            var values = filterInput.StringList("Values", 1, 10, 0, 512);
            if (key is null || values is null)
            {
                throw EmulatorException.InvalidParameter("Each filter needs a Key and at least one value in Values.");
            }

            if (!FilterKeys.Contains(key, StringComparer.Ordinal))
            {
                throw EmulatorException.Validation($"Value at 'filters.member.key' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", FilterKeys)}]");
            }

            if (values.Any(v => !FilterValuePattern().IsMatch(v)))
            {
                throw EmulatorException.Validation("Value at 'filters.member.values' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$");
            }

            var positive = values.Where(v => !v.StartsWith('!')).ToList();
            var negative = values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
            predicates.Add(secret =>
                (positive.Count == 0 || positive.Exists(v => Matches(secret, key, v)))
                && !negative.Exists(v => Matches(secret, key, v)));
        }

        return secret => predicates.TrueForAll(p => p(secret));
    }

    private static bool Matches(SecretRecord secret, string key, string value)
    {
        static bool Prefix(string? text, string value, StringComparison comparison) => text is not null && text.StartsWith(value, comparison);
        const StringComparison Sensitive = StringComparison.Ordinal;
        const StringComparison Insensitive = StringComparison.OrdinalIgnoreCase;
        return key switch
        {
            "name" => Prefix(secret.Name, value, Sensitive),
            "description" => Prefix(secret.Description, value, Insensitive),
            "tag-key" => secret.Tags.Exists(t => Prefix(t.Key, value, Sensitive)),
            "tag-value" => secret.Tags.Exists(t => Prefix(t.Value, value, Sensitive)),
            "primary-region" => Prefix(secret.Region, value, Sensitive),
            "owning-service" => false,
            _ => value.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(word =>
                Prefix(secret.Name, word, Insensitive) || Prefix(secret.Description, word, Insensitive)
                || secret.Tags.Exists(t => Prefix(t.Key, word, Insensitive) || Prefix(t.Value, word, Insensitive))),
        };
    }

    private static (List<T> Page, string? NextToken) Page<T>(List<T> items, int size, string? token, string scope)
    {
        var offset = 0;
        if (token is not null)
        {
            offset = DecodeToken(token, scope);
            if (offset < 0 || offset > items.Count)
            {
                throw new EmulatorException("InvalidNextTokenException", "The NextToken value is invalid.");
            }
        }

        var page = items.Skip(offset).Take(size).ToList();
        var end = offset + page.Count;
        return (page, end < items.Count ? EncodeToken(end, scope) : null);
    }

    private static string EncodeToken(int offset, string scope) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{scope}:{offset}"));

    private static int DecodeToken(string token, string scope)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var separator = text.LastIndexOf(':');
            if (separator > 0 && text[..separator] == scope && int.TryParse(text[(separator + 1)..], out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw new EmulatorException("InvalidNextTokenException", "The NextToken value is invalid.");
    }

    private static JsonObject Describe(SecretRecord secret, string versionsMember)
    {
        var result = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (secret.Description is not null)
        {
            result["Description"] = secret.Description;
        }

        if (secret.KmsKeyId is not null)
        {
            result["KmsKeyId"] = secret.KmsKeyId;
        }

        result["RotationEnabled"] = secret.RotationEnabled;
        if (secret.RotationLambdaArn is not null)
        {
            result["RotationLambdaARN"] = secret.RotationLambdaArn;
        }

        if (secret.RotationRulesJson is not null)
        {
            result["RotationRules"] = JsonNode.Parse(secret.RotationRulesJson);
        }

        AddDate(result, "LastRotatedDate", secret.LastRotatedDate);
        AddDate(result, "LastChangedDate", secret.LastChangedDate);
        AddDate(result, "LastAccessedDate", secret.LastAccessedDate);
        AddDate(result, "DeletedDate", secret.DeletedDate);
        AddDate(result, "NextRotationDate", secret.NextRotationDate);
        if (secret.Tags.Count > 0)
        {
            var tags = new JsonArray();
            foreach (var tag in secret.Tags)
            {
                tags.Add(new JsonObject { ["Key"] = tag.Key, ["Value"] = tag.Value });
            }

            result["Tags"] = tags;
        }

        var versions = new JsonObject();
        foreach (var version in secret.Versions.Where(v => v.Stages.Count > 0))
        {
            versions[version.VersionId] = Strings(version.Stages);
        }

        result[versionsMember] = versions;
        result["CreatedDate"] = Epoch(secret.CreatedDate);
        result["PrimaryRegion"] = secret.Region;
        return result;
    }

    private static void AddDate(JsonObject target, string name, DateTimeOffset? value)
    {
        if (value is { } date)
        {
            target[name] = Epoch(date);
        }
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

    private static string NewVersionId() => Guid.NewGuid().ToString();

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FilterValuePattern();
}
