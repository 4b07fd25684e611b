using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals;

/// <content>Secrets: create, update, describe, tags.</content>
internal sealed partial class SecretOperations
{
    private JsonObject CreateSecret(string region, RequestInput input)
    {
        var name = input.Required("Name", 1, EmulatorConstants.MaxNameLength);
        var token = input.String(TokenMember, 32, 64);
        var description = input.String("Description", 0, EmulatorConstants.MaxDescriptionLength);
        var kmsKeyId = input.String("KmsKeyId", 0, 2048);
        var (text, binary) = ReadValue(input);
        var tagArray = input.Array("Tags", 0, int.MaxValue);
        var tags = ReadTags(tagArray);
        var type = input.String("Type", 0, 256);
        var forceReplicas = input.Bool("ForceOverwriteReplicaSecret") ?? false;
        var replicaArray = input.Array("AddReplicaRegions", 1, int.MaxValue);
        var replicas = replicaArray is null ? null : ReadReplicaRegions(replicaArray);

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

            if (token is not null && existing.Version(token) is { } same && HasValue(text, binary))
            {
                return same.SameValue(text, binary)
                    ? new JsonObject { ["ARN"] = existing.Arn, ["Name"] = existing.Name, ["VersionId"] = same.VersionId }
                    : throw TokenInUse(existing, token);
            }

            throw EmulatorException.Exists($"The operation failed because the secret {name} already exists.");
        }

        var secret = _store.NewSecret(region, name);
        secret.Description = description;
        secret.KmsKeyId = kmsKeyId;
        secret.Tags = tagArray is null ? null : tags;
        secret.Type = type;
        SecretVersion? version = null;
        if (HasValue(text, binary))
        {
            version = AddVersion(secret, token ?? NewVersionId(), text, binary, [EmulatorConstants.Current]);
        }

        if (replicas is not null)
        {
            AddReplicas(secret, replicas, forceReplicas);
        }

        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (version is not null)
        {
            response["VersionId"] = version.VersionId;
        }

        if (replicas is not null)
        {
            response["ReplicationStatus"] = ReplicationStatus(secret);
        }

        return response;
    }

    private JsonObject DescribeSecret(string region, RequestInput input)
    {
        var secret = _store.Require(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        var described = Describe(secret, "VersionIdsToStages");
        if (secret.Replicas is { Count: > 0 } && !secret.IsReplica)
        {
            described["ReplicationStatus"] = ReplicationStatus(secret);
        }

        return described;
    }

    private JsonObject UpdateSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var token = input.String(TokenMember, 32, 64);
        var description = input.String("Description", 0, EmulatorConstants.MaxDescriptionLength);
        var kmsKeyId = input.String("KmsKeyId", 0, 2048);
        var type = input.String("Type", 0, 256);
        var (text, binary) = ReadValue(input);
        var secret = RequireWritable(region, secretId);
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

        if (input.Has("Type"))
        {
            secret.Type = type;
        }

        secret.LastChangedDate = _store.Now;
        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (version is not null)
        {
            response["VersionId"] = version.VersionId;
        }

        return response;
    }

    private JsonObject TagResource(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var tags = ReadTags(input.Array("Tags", 0, int.MaxValue, required: true));
        var secret = RequireWritable(region, secretId);
        secret.Tags ??= [];
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
        return [];
    }

    private JsonObject UntagResource(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var keys = input.StringList("TagKeys", 0, int.MaxValue, 1, 128, required: true)!;
        var secret = RequireWritable(region, secretId);
        secret.Tags?.RemoveAll(t => keys.Contains(t.Key, StringComparer.Ordinal));
        secret.LastChangedDate = _store.Now;
        return [];
    }

    private static List<SecretTag> ReadTags(JsonArray? array)
    {
        var tags = new List<SecretTag>();
        foreach (var tagInput in RequestInput.Structures(array, "Tags", "Tag", ["Key", "Value"]))
        {
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

    private static JsonObject Describe(SecretRecord secret, string versionsMember)
    {
        var result = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (secret.Type is not null)
        {
            result["Type"] = secret.Type;
        }

        if (secret.Description is not null)
        {
            result["Description"] = secret.Description;
        }

        if (secret.KmsKeyId is not null)
        {
            result["KmsKeyId"] = secret.KmsKeyId;
        }

        if (secret.RotationEnabled is { } enabled)
        {
            result["RotationEnabled"] = enabled;
        }

        if (secret.RotationLambdaArn is not null)
        {
            result["RotationLambdaARN"] = secret.RotationLambdaArn;
        }

        if (secret.RotationRulesJson is not null)
        {
            result["RotationRules"] = JsonNode.Parse(secret.RotationRulesJson);
        }

        if (secret.ExternalRotationMetadata is not null)
        {
            result["ExternalSecretRotationMetadata"] = KeyValues(secret.ExternalRotationMetadata);
        }

        if (secret.ExternalRotationRoleArn is not null)
        {
            result["ExternalSecretRotationRoleArn"] = secret.ExternalRotationRoleArn;
        }

        AddDate(result, "LastRotatedDate", secret.LastRotatedDate);
        AddDate(result, "LastChangedDate", secret.LastChangedDate);
        AddDate(result, "LastAccessedDate", secret.LastAccessedDate);
        AddDate(result, "DeletedDate", secret.DeletedDate);
        AddDate(result, "NextRotationDate", secret.NextRotationDate);
        if (secret.Tags is not null)
        {
            result["Tags"] = KeyValues(secret.Tags);
        }

        var versions = new JsonObject();
        foreach (var version in secret.Versions.Where(v => v.Stages.Count > 0))
        {
            versions[version.VersionId] = Strings(version.Stages);
        }

        if (versions.Count > 0)
        {
            result[versionsMember] = versions;
        }

        result["CreatedDate"] = Epoch(secret.CreatedDate);
        if (secret.PrimaryRegion is not null)
        {
            result["PrimaryRegion"] = secret.PrimaryRegion;
        }

        return result;
    }

    private static JsonArray KeyValues(List<SecretTag> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add((JsonNode)new JsonObject { ["Key"] = item.Key, ["Value"] = item.Value });
        }

        return array;
    }

    private static void AddDate(JsonObject target, string name, DateTimeOffset? value)
    {
        if (value is { } date)
        {
            target[name] = Epoch(date);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
