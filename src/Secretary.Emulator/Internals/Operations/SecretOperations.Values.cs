using System.Text;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Values: reading and writing secret values.</content>
internal sealed partial class SecretOperations
{
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
                    values.Add((JsonNode)ReadValue(_store.Require(region, id), null, null));
                }
                catch (EmulatorException ex)
                {
                    errors.Add((JsonNode)new JsonObject { [SecretIdMember] = id, ["ErrorCode"] = ex.Type, ["Message"] = ex.Message });
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
                    values.Add((JsonNode)ReadValue(secret, null, null));
                }
                catch (EmulatorException ex)
                {
                    errors.Add((JsonNode)new JsonObject { [SecretIdMember] = secret.Name, ["ErrorCode"] = ex.Type, ["Message"] = ex.Message });
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

    private JsonObject PutSecretValue(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var (text, binary) = ReadValue(input);
        var stages = input.StringList("VersionStages", 1, 20, 1, 256);
        input.String("RotationToken", 36, 256);
        var secret = RequireWritable(region, secretId);
        if (!HasValue(text, binary))
        {
            throw EmulatorException.InvalidParameter("You must provide either SecretString or SecretBinary.");
        }

        var version = AddOrReuseVersion(secret, token, text, binary, stages ?? [EmulatorConstants.Current]);
        return new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["VersionId"] = version.VersionId,
            ["VersionStages"] = Strings(version.Stages),
        };
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
}
