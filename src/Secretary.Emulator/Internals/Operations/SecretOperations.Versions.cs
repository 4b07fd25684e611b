using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Versions and staging labels.</content>
internal sealed partial class SecretOperations
{
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
            list.Add((JsonNode)entry);
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

    private JsonObject UpdateSecretVersionStage(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var stage = input.Required("VersionStage", 1, 256);
        var removeFrom = input.String("RemoveFromVersionId", 32, 64);
        var moveTo = input.String("MoveToVersionId", 32, 64);
        var secret = RequireWritable(region, secretId);
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
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }

    private SecretVersion AddOrReuseVersion(SecretRecord secret, string? token, string? text, byte[]? binary, IReadOnlyList<string> stages)
    {
        if (token is not null && secret.Version(token) is { } existing)
        {
            return existing.SameValue(text, binary) ? existing : throw TokenInUse(secret, token);
        }

        return AddVersion(secret, token ?? NewVersionId(), text, binary, stages);
    }

    private SecretVersion AddVersion(SecretRecord secret, string versionId, string? text, byte[]? binary, IReadOnlyList<string> stages)
    {
        var now = _store.Now;
        var version = new SecretVersion { VersionId = versionId, SecretString = text, SecretBinary = binary, CreatedDate = now };
        var first = secret.Stage(EmulatorConstants.Current) is null;
        secret.Versions.Add(version);
        foreach (var stage in stages.Distinct(StringComparer.Ordinal))
        {
            MoveStage(secret, stage, version);
        }

        // A secret's first value is always AWSCURRENT, whatever labels were asked for (as the service does).
        if (first)
        {
            MoveStage(secret, EmulatorConstants.Current, version);
        }

        secret.LastChangedDate = now;
        TrimVersions(secret);
        return version;
    }

    private static EmulatorException TokenInUse(SecretRecord secret, string token) =>
        EmulatorException.Exists($"You can't use ClientRequestToken {token} because that value is already in use for a version of secret {secret.Arn}.");

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

    private static string NewVersionId() => Guid.NewGuid().ToString();
}
