namespace Secretary.Emulator.Internals;

/// <content>The built-in rotation: the four steps done in process, for secrets without a rotation function.</content>
internal sealed partial class SecretOperations
{
    /// <summary>
    /// The default rotation function, through the same operations a rotation function calls: createSecret puts a new
    /// value as AWSPENDING (a JSON object's <c>password</c> only, any other string whole, 32 random bytes for a binary
    /// secret), setSecret and testSecret have nothing to do, finishSecret moves AWSCURRENT to it.
    /// </summary>
    private sealed class BuiltInRotation : RotationFunction
    {
        public const string FunctionName = "built-in";

        private readonly SecretOperations _operations;

        public BuiltInRotation(SecretOperations operations)
            : base(FunctionName) => _operations = operations;

        public override Task<string?> InvokeAsync(RotationEvent rotationEvent, string region, CancellationToken cancellationToken)
        {
            var store = _operations._store;
            switch (rotationEvent.Step)
            {
                case "createSecret":
                    string? text;
                    byte[]? binary;
                    lock (store.Sync)
                    {
                        var secret = store.Require(region, rotationEvent.SecretId);
                        if (secret.Version(rotationEvent.ClientRequestToken) is not null)
                        {
                            return Task.FromResult<string?>(null);
                        }

                        (text, binary) = RotatedValue(secret.Stage(EmulatorConstants.Current));
                    }

                    var put = new System.Text.Json.Nodes.JsonObject
                    {
                        [SecretIdMember] = rotationEvent.SecretId,
                        [TokenMember] = rotationEvent.ClientRequestToken,
                        ["VersionStages"] = Strings([EmulatorConstants.Pending]),
                    };
                    if (binary is not null)
                    {
                        put[BinaryMember] = Convert.ToBase64String(binary);
                    }
                    else
                    {
                        put[StringMember] = text;
                    }

                    _operations.Invoke("PutSecretValue", region, put);
                    break;
                case "finishSecret":
                    lock (store.Sync)
                    {
                        var secret = store.Require(region, rotationEvent.SecretId);
                        var current = secret.Stage(EmulatorConstants.Current);
                        if (current?.VersionId != rotationEvent.ClientRequestToken)
                        {
                            var move = new System.Text.Json.Nodes.JsonObject
                            {
                                [SecretIdMember] = rotationEvent.SecretId,
                                ["VersionStage"] = EmulatorConstants.Current,
                                ["MoveToVersionId"] = rotationEvent.ClientRequestToken,
                            };
                            if (current is not null)
                            {
                                move["RemoveFromVersionId"] = current.VersionId;
                            }

                            _operations.Invoke("UpdateSecretVersionStage", region, move);
                        }
                    }

                    break;
            }

            return Task.FromResult<string?>(null);
        }
    }
}
