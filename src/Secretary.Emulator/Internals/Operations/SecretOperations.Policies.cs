using System.Text.Json.Nodes;

namespace Secretary.Emulator.Internals;

/// <content>Resource policies: stored per secret, checked as IAM policy JSON, public grants refused on request.</content>
internal sealed partial class SecretOperations
{
    private const int MaxPolicyLength = 20480;

    private JsonObject PutResourcePolicy(string region, RequestInput input)
    {
        var secretId = input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var policy = input.Required("ResourcePolicy", 1, MaxPolicyLength);
        var blockPublic = input.Bool("BlockPublicPolicy") ?? false;
        var secret = RequireWritable(region, secretId);
        if (ResourcePolicyCheck.SyntaxProblems(policy).Count > 0)
        {
            throw new EmulatorException("MalformedPolicyDocumentException", ResourcePolicyCheck.SyntaxMessage);
        }

        if (blockPublic && ResourcePolicyCheck.GrantsPublicAccess(policy))
        {
            throw new EmulatorException("PublicPolicyException", ResourcePolicyCheck.PublicMessage);
        }

        secret.ResourcePolicy = policy;
        secret.LastChangedDate = _store.Now;
        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }

    private JsonObject GetResourcePolicy(string region, RequestInput input)
    {
        var secret = RequireLive(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        var response = new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
        if (secret.ResourcePolicy is not null)
        {
            response["ResourcePolicy"] = secret.ResourcePolicy;
        }

        return response;
    }

    private JsonObject DeleteResourcePolicy(string region, RequestInput input)
    {
        var secret = RequireWritable(region, input.Required(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength));
        if (secret.ResourcePolicy is not null)
        {
            secret.ResourcePolicy = null;
            secret.LastChangedDate = _store.Now;
        }

        return new JsonObject { ["ARN"] = secret.Arn, ["Name"] = secret.Name };
    }

    private JsonObject ValidateResourcePolicy(string region, RequestInput input)
    {
        var secretId = input.String(SecretIdMember, 1, EmulatorConstants.MaxSecretIdLength);
        var policy = input.Required("ResourcePolicy", 1, MaxPolicyLength);
        if (secretId is not null)
        {
            RequireLive(region, secretId);
        }

        if (ResourcePolicyCheck.SyntaxProblems(policy).Count > 0)
        {
            throw new EmulatorException("MalformedPolicyDocumentException", ResourcePolicyCheck.SyntaxMessage);
        }

        var errors = new JsonArray();
        if (ResourcePolicyCheck.GrantsPublicAccess(policy))
        {
            errors.Add((JsonNode)new JsonObject { ["CheckName"] = ResourcePolicyCheck.PublicCheckName, ["ErrorMessage"] = ResourcePolicyCheck.PublicMessage });
        }

        return new JsonObject { ["PolicyValidationPassed"] = errors.Count == 0, ["ValidationErrors"] = errors };
    }
}
