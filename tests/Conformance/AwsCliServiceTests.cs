using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>The official AWS CLI over the operations and behaviours the suites found missing or different.</summary>
public sealed class AwsCliServiceTests : IClassFixture<EmulatorProcessFixture>
{
    private const string PrivatePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
    private const string PublicPolicy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}}""";

    private readonly EmulatorProcessFixture _fixture;

    public AwsCliServiceTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    private AwsCli Aws => _fixture.Aws;

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static string[] Names(JsonObject page) => [.. page["SecretList"]!.AsArray().Select(s => Str(s!, "Name"))];

    [Fact]
    public async Task ResourcePolicies_PutGetValidateDelete()
    {
        await Aws.OkAsync("create-secret", "--name", "svc/policy", "--secret-string", "v");
        Assert.Null((await Aws.OkAsync("get-resource-policy", "--secret-id", "svc/policy"))["ResourcePolicy"]);
        await Aws.OkAsync("put-resource-policy", "--secret-id", "svc/policy", "--resource-policy", PrivatePolicy, "--block-public-policy");
        Assert.Equal(PrivatePolicy, Str(await Aws.OkAsync("get-resource-policy", "--secret-id", "svc/policy"), "ResourcePolicy"));
        await Aws.ErrorAsync("PublicPolicyException", ["put-resource-policy", "--secret-id", "svc/policy", "--resource-policy", PublicPolicy, "--block-public-policy"]);
        var malformed = await Aws.ErrorAsync("MalformedPolicyDocumentException", ["put-resource-policy", "--secret-id", "svc/policy", "--resource-policy", "{\"Statement\":[]}"]);
        Assert.Contains("This resource policy contains a syntax error.", malformed.Stderr, StringComparison.Ordinal);
        var validated = await Aws.OkAsync("validate-resource-policy", "--secret-id", "svc/policy", "--resource-policy", PublicPolicy);
        Assert.False(validated["PolicyValidationPassed"]!.GetValue<bool>());
        Assert.Single(validated["ValidationErrors"]!.AsArray());
        Assert.True((await Aws.OkAsync("validate-resource-policy", "--resource-policy", PrivatePolicy))["PolicyValidationPassed"]!.GetValue<bool>());
        await Aws.OkAsync("delete-resource-policy", "--secret-id", "svc/policy");
        Assert.Null((await Aws.OkAsync("get-resource-policy", "--secret-id", "svc/policy"))["ResourcePolicy"]);
        await Aws.ErrorAsync("ResourceNotFoundException", ["get-resource-policy", "--secret-id", "svc/none"]);
    }

    [Fact]
    public async Task Replication_ReplicateReadRemovePromote()
    {
        var created = await Aws.OkAsync("create-secret", "--name", "svc/replicated", "--secret-string", "one", "--add-replica-regions", "Region=eu-west-1");
        Assert.Equal("InSync", Str(created["ReplicationStatus"]![0]!, "Status"));
        var replica = await Aws.RunAsync(["get-secret-value", "--secret-id", "svc/replicated"], region: "eu-west-1");
        Assert.True(replica.ExitCode == 0, replica.ToString());
        Assert.Equal(Str(created, "ARN").Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal), Str(JsonNode.Parse(replica.Stdout)!, "ARN"));
        var readOnly = await Aws.RunAsync(["put-secret-value", "--secret-id", "svc/replicated", "--secret-string", "x"], region: "eu-west-1");
        Assert.Contains("(InvalidParameterException)", readOnly.Stderr, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted on a replica secret.", readOnly.Stderr, StringComparison.Ordinal);

        var added = await Aws.OkAsync("replicate-secret-to-regions", "--secret-id", "svc/replicated", "--add-replica-regions", "Region=ap-south-1");
        Assert.Equal(2, added["ReplicationStatus"]!.AsArray().Count);
        var invalid = await Aws.ErrorAsync("InvalidParameterException", ["replicate-secret-to-regions", "--secret-id", "svc/replicated", "--add-replica-regions", "Region=us-east-1"]);
        Assert.Contains("Invalid replica region.", invalid.Stderr, StringComparison.Ordinal);
        var removed = await Aws.OkAsync("remove-regions-from-replication", "--secret-id", "svc/replicated", "--remove-replica-regions", "ap-south-1");
        Assert.Equal("eu-west-1", Str(Assert.Single(removed["ReplicationStatus"]!.AsArray())!, "Region"));
        var promoted = await Aws.RunAsync(["stop-replication-to-replica", "--secret-id", "svc/replicated"], region: "eu-west-1");
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        var standalone = await Aws.RunAsync(["describe-secret", "--secret-id", "svc/replicated"], region: "eu-west-1");
        Assert.Null(JsonNode.Parse(standalone.Stdout)!["PrimaryRegion"]);
    }

    [Fact]
    public async Task CancelRotateSecret_KeepsAwsPending_AndNewestMembersRoundTrip()
    {
        await Aws.OkAsync("create-secret", "--name", "svc/cancel", "--secret-string", "v", "--type", "SalesforceClientSecret");
        await Aws.OkAsync("rotate-secret", "--secret-id", "svc/cancel", "--rotation-rules", "AutomaticallyAfterDays=7", "--no-rotate-immediately",
            "--external-secret-rotation-metadata", "Key=org,Value=acme", "--external-secret-rotation-role-arn", "arn:aws:iam::123456789012:role/partner");
        var pending = Str(await Aws.OkAsync("put-secret-value", "--secret-id", "svc/cancel", "--secret-string", "w", "--version-stages", "AWSPENDING"), "VersionId");
        Assert.Equal(pending, Str(await Aws.OkAsync("cancel-rotate-secret", "--secret-id", "svc/cancel"), "VersionId"));
        var described = await Aws.OkAsync("describe-secret", "--secret-id", "svc/cancel");
        Assert.False(described["RotationEnabled"]!.GetValue<bool>());
        Assert.Equal("AWSPENDING", described["VersionIdsToStages"]![pending]![0]!.GetValue<string>());
        Assert.Equal("SalesforceClientSecret", Str(described, "Type"));
        Assert.Equal("acme", Str(described["ExternalSecretRotationMetadata"]![0]!, "Value"));
        Assert.Equal("arn:aws:iam::123456789012:role/partner", Str(described, "ExternalSecretRotationRoleArn"));
    }

    [Fact]
    public async Task ListSecrets_OldestFirst_SortBy_AndWordPrefixFilters()
    {
        foreach (var name in new[] { "svc/sort/b", "svc/sort/AppBeta", "svc/sort/a" })
        {
            await Aws.OkAsync("create-secret", "--name", name, "--secret-string", "v", "--description", "one and two");
        }

        const string Mine = "Key=name,Values=svc/sort/";
        Assert.Equal(["svc/sort/b", "svc/sort/AppBeta", "svc/sort/a"], Names(await Aws.OkAsync("list-secrets", "--filters", Mine)));
        Assert.Equal(["svc/sort/AppBeta", "svc/sort/a", "svc/sort/b"], Names(await Aws.OkAsync("list-secrets", "--filters", Mine, "--sort-by", "name")));
        Assert.Equal(["svc/sort/a", "svc/sort/AppBeta", "svc/sort/b"], Names(await Aws.OkAsync("list-secrets", "--filters", Mine, "--sort-order", "desc")));
        Assert.Equal(["svc/sort/AppBeta"], Names(await Aws.OkAsync("list-secrets", "--filters", Mine, "Key=all,Values=Beta")));
        Assert.Equal(3, Names(await Aws.OkAsync("list-secrets", "--filters", Mine, "Key=description,Values=one two")).Length);
        Assert.Empty(Names(await Aws.OkAsync("list-secrets", "--filters", Mine, "Key=name,Values=nothing")));
        var invalid = await Aws.ErrorAsync("ValidationException", ["list-secrets", "--filters", Mine, "Key=invalid,Values=x"]);
        Assert.Contains("Value 'invalid' at 'filters.2.member.key' failed to satisfy constraint", invalid.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletionAndDescribeDetails_AsTheServiceAnswers()
    {
        var unknown = await Aws.OkAsync("delete-secret", "--secret-id", "svc/never", "--force-delete-without-recovery");
        Assert.Equal("svc/never", Str(unknown, "Name"));
        var range = await Aws.ErrorAsync("InvalidParameterException", ["delete-secret", "--secret-id", "svc/never", "--force-delete-without-recovery", "--recovery-window-in-days", "3"]);
        Assert.Contains("between 7 and 30", range.Stderr, StringComparison.Ordinal);

        await Aws.OkAsync("create-secret", "--name", "svc/bare");
        var bare = await Aws.OkAsync("describe-secret", "--secret-id", "svc/bare");
        foreach (var absent in new[] { "RotationEnabled", "PrimaryRegion", "VersionIdsToStages", "Tags" })
        {
            Assert.Null(bare[absent]);
        }

        await Aws.OkAsync("tag-resource", "--secret-id", "svc/bare", "--tags", "Key=k,Value=v");
        await Aws.OkAsync("untag-resource", "--secret-id", "svc/bare", "--tag-keys", "k");
        Assert.Empty((await Aws.OkAsync("describe-secret", "--secret-id", "svc/bare"))["Tags"]!.AsArray());
        var first = await Aws.OkAsync("put-secret-value", "--secret-id", "svc/bare", "--secret-string", "v", "--version-stages", "AWSPENDING");
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], first["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public async Task TokenInUse_AndPasswordAndValidationMessages()
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        var arn = Str(await Aws.OkAsync("create-secret", "--name", "svc/token", "--secret-string", "one", "--client-request-token", Token), "ARN");
        var reused = await Aws.ErrorAsync("ResourceExistsException", ["update-secret", "--secret-id", "svc/token", "--secret-string", "two", "--client-request-token", Token]);
        Assert.Contains($"You can't use ClientRequestToken {Token} because that value is already in use for a version of secret {arn}.", reused.Stderr, StringComparison.Ordinal);

        Assert.Equal(4, Str(await Aws.OkAsync("get-random-password", "--password-length", "4", "--include-space"), "RandomPassword").Length);
        var max = await Aws.ErrorAsync("ValidationException", ["list-secrets", "--max-results", "101", "--no-paginate"]);
        Assert.Contains("Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100", max.Stderr, StringComparison.Ordinal);
    }
}
