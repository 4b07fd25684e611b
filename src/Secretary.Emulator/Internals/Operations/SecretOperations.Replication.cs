using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>
/// Replication: a replica is a real secret in the emulator's other region, with the primary's name, its own ARN (the
/// primary's suffix, its region), read-only there, kept equal to the primary after every change
/// (<see cref="SyncReplicas"/>); StopReplicationToReplica makes it a standalone secret.
/// </content>
internal sealed partial class SecretOperations
{
    private const string InvalidReplicaRegion = "Invalid replica region.";

    private JsonObject ReplicateSecretToRegions(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var regions = ReadReplicaRegions(input.Array("AddReplicaRegions", 1, int.MaxValue, required: true)!);
        var force = input.Bool("ForceOverwriteReplicaSecret") ?? false;
        var secret = RequireWritable(region, secretId);
        AddReplicas(secret, regions, force);
        return new JsonObject { ["ARN"] = secret.Arn, ["ReplicationStatus"] = ReplicationStatus(secret) };
    }

    private JsonObject RemoveRegionsFromReplication(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var remove = input.StringList("RemoveReplicaRegions", 1, int.MaxValue, 1, 128, required: true)!;
        var secret = RequireWritable(region, secretId);
        foreach (var replicaRegion in remove)
        {
            var replica = secret.Replicas?.Find(r => r.Region == replicaRegion)
                ?? throw EmulatorException.InvalidParameter(InvalidReplicaRegion);
            secret.Replicas!.Remove(replica);
            if (ReplicaIn(secret, replicaRegion) is { } copy)
            {
                _store.Remove(copy);
            }
        }

        if (secret.Replicas is { Count: 0 })
        {
            secret.Replicas = null;
            secret.PrimaryRegion = null;
        }

        secret.LastChangedDate = _store.Now;
        return new JsonObject { ["ARN"] = secret.Arn, ["ReplicationStatus"] = ReplicationStatus(secret) };
    }

    private JsonObject StopReplicationToReplica(string region, RequestInput input)
    {
        var secret = RequireLive(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        if (!secret.IsReplica)
        {
            throw EmulatorException.InvalidRequest("StopReplicationToReplica can only be called on a replica secret, in the replica's region.");
        }

        if (_store.Find(secret.PrimaryRegion!, secret.Name) is { } primary && primary.Replicas is { } replicas)
        {
            replicas.RemoveAll(r => r.Region == region);
            if (replicas.Count == 0)
            {
                primary.Replicas = null;
                primary.PrimaryRegion = null;
            }
        }

        secret.PrimaryRegion = null;
        secret.LastChangedDate = _store.Now;
        return new JsonObject { ["ARN"] = secret.Arn };
    }

    /// <summary>The <c>AddReplicaRegions</c> list: valid region names, each once.</summary>
    private static List<ReplicaRecord> ReadReplicaRegions(JsonArray array)
    {
        var replicas = new List<ReplicaRecord>();
        foreach (var entryInput in RequestInput.Structures(array, "AddReplicaRegions", "ReplicaRegionType", ["Region", "KmsKeyId"]))
        {
            var replicaRegion = entryInput.String("Region", 1, 128);
            var kmsKeyId = entryInput.String("KmsKeyId", 0, 2048);
            if (!Regions.IsValid(replicaRegion) || replicas.Exists(r => r.Region == replicaRegion))
            {
                throw EmulatorException.InvalidParameter(InvalidReplicaRegion);
            }

            replicas.Add(new ReplicaRecord { Region = replicaRegion!, KmsKeyId = kmsKeyId });
        }

        return replicas;
    }

    /// <summary>Adds replicas to <paramref name="secret"/>; a name taken in a replica's region fails that replica unless forced.</summary>
    private void AddReplicas(SecretRecord secret, List<ReplicaRecord> replicas, bool force)
    {
        foreach (var replica in replicas)
        {
            if (replica.Region == secret.Region)
            {
                throw EmulatorException.InvalidParameter(InvalidReplicaRegion);
            }
        }

        secret.Replicas ??= [];
        foreach (var replica in replicas)
        {
            if (secret.Replicas.Exists(r => r.Region == replica.Region))
            {
                continue;
            }

            var taken = _store.Find(replica.Region, secret.Name);
            if (taken is not null && !force)
            {
                replica.Status = "Failed";
                replica.StatusMessage = $"Replication failed: Secret name {secret.Name} already exists in region {replica.Region}.";
            }
            else if (taken is not null)
            {
                _store.Remove(taken);
            }

            secret.Replicas.Add(replica);
        }

        secret.PrimaryRegion = secret.Region;
        secret.LastChangedDate = _store.Now;
        SyncReplicas();
    }

    /// <summary>The replica copy of <paramref name="primary"/> in <paramref name="region"/>, when it is one.</summary>
    private SecretRecord? ReplicaIn(SecretRecord primary, string region) =>
        _store.Find(region, primary.Name) is { } copy && copy.PrimaryRegion == primary.Region ? copy : null;

    /// <summary>Makes every in-sync replica equal to its primary (values, labels, metadata); the one mechanism that carries writes.</summary>
    private void SyncReplicas()
    {
        foreach (var primary in _store.AllRegions().Where(s => s.Replicas is { Count: > 0 } && !s.IsReplica).ToList())
        {
            foreach (var replica in primary.Replicas!.Where(r => r.Status == "InSync"))
            {
                var copy = ReplicaIn(primary, replica.Region);
                if (copy is null)
                {
                    copy = _store.NewSecret(replica.Region, primary.Name);
                    copy.Arn = primary.Arn.Replace($":{primary.Region}:", $":{replica.Region}:", StringComparison.Ordinal);
                    copy.PrimaryRegion = primary.Region;
                }

                copy.Description = primary.Description;
                copy.Type = primary.Type;
                copy.KmsKeyId = replica.KmsKeyId;
                copy.CreatedDate = primary.CreatedDate;
                copy.LastChangedDate = primary.LastChangedDate;
                copy.DeletedDate = primary.DeletedDate;
                copy.DeletionDate = primary.DeletionDate;
                copy.RotationEnabled = primary.RotationEnabled;
                copy.RotationLambdaArn = primary.RotationLambdaArn;
                copy.RotationRulesJson = primary.RotationRulesJson;
                copy.LastRotatedDate = primary.LastRotatedDate;
                copy.NextRotationDate = primary.NextRotationDate;
                copy.Tags = primary.Tags?.Select(t => new SecretTag { Key = t.Key, Value = t.Value }).ToList();
                copy.ResourcePolicy = primary.ResourcePolicy;
                copy.Versions = [.. primary.Versions.Select(v => new SecretVersion
                {
                    VersionId = v.VersionId,
                    SecretString = v.SecretString,
                    SecretBinary = v.SecretBinary,
                    Stages = [.. v.Stages],
                    CreatedDate = v.CreatedDate,
                    LastAccessedDate = copy.Version(v.VersionId)?.LastAccessedDate,
                })];
            }
        }
    }

    /// <summary>The primary's <c>ReplicationStatus</c>: one entry per replica region, in the order they were added.</summary>
    private JsonArray ReplicationStatus(SecretRecord primary)
    {
        var list = new JsonArray();
        foreach (var replica in primary.Replicas ?? [])
        {
            var entry = new JsonObject { ["Region"] = replica.Region };
            if (replica.KmsKeyId is not null)
            {
                entry["KmsKeyId"] = replica.KmsKeyId;
            }

            entry["Status"] = replica.Status;
            entry["StatusMessage"] = replica.StatusMessage ?? "Replication succeeded";
            if (ReplicaIn(primary, replica.Region)?.LastAccessedDate is { } accessed)
            {
                entry["LastAccessedDate"] = Epoch(accessed);
            }

            list.Add((JsonNode)entry);
        }

        return list;
    }
}
