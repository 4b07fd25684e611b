using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Deletion: scheduled and forced deletion, restore.</content>
internal sealed partial class SecretOperations
{
    private JsonObject DeleteSecret(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var window = input.Long("RecoveryWindowInDays", long.MinValue, long.MaxValue);
        var force = input.Bool("ForceDeleteWithoutRecovery") ?? false;
        if (window is < 7 or > 30)
        {
            throw EmulatorException.InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }

        if (window is not null && force)
        {
            throw EmulatorException.InvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        var now = _store.Now;
        var found = _store.Find(region, secretId);
        if (found is null && force)
        {
            // The service answers a forced deletion of a secret it does not know as if it had deleted it.
            var (arn, name) = _store.UnknownSecretIdentity(region, secretId);
            return new JsonObject { ["ARN"] = arn, ["Name"] = name, ["DeletionDate"] = Epoch(now) };
        }

        var secret = found ?? throw SecretStore.NotFound();
        if (secret.IsReplica)
        {
            throw EmulatorException.InvalidParameter(ReplicaMessage);
        }

        DateTimeOffset deletionDate;
        if (force)
        {
            deletionDate = now;
            foreach (var replica in secret.Replicas ?? [])
            {
                if (ReplicaIn(secret, replica.Region) is { } copy)
                {
                    _store.Remove(copy);
                }
            }

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

        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name, ["DeletionDate"] = Epoch(deletionDate) };
    }

    private JsonObject RestoreSecret(string region, RequestInput input)
    {
        var secret = _store.Require(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        if (secret.IsReplica)
        {
            throw EmulatorException.InvalidParameter(ReplicaMessage);
        }

        if (secret.DeletedDate is not null)
        {
            secret.DeletedDate = null;
            secret.DeletionDate = null;
            secret.LastChangedDate = _store.Now;
        }

        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }
}
