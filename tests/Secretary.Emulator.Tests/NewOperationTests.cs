using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>Resource policies, replication, CancelRotateSecret and the newest members (Type, External rotation metadata).</summary>
public sealed class NewOperationTests
{
    private const string PrivatePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
    private const string PublicPolicy = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}}""";

    [Fact]
    public async Task ResourcePolicy_PutGetDelete_AndValidation()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var arn = (await client.OkAsync("CreateSecret", Obj(("Name", "p"), ("SecretString", "v")))).Str("ARN");
        Assert.False((await client.OkAsync("GetResourcePolicy", Obj(("SecretId", "p")))).ContainsKey("ResourcePolicy"));

        var put = await client.OkAsync("PutResourcePolicy", Obj(("SecretId", "p"), ("ResourcePolicy", PrivatePolicy), ("BlockPublicPolicy", true)));
        Assert.Equal(arn, put.Str("ARN"));
        Assert.Equal(PrivatePolicy, (await client.OkAsync("GetResourcePolicy", Obj(("SecretId", "p")))).Str("ResourcePolicy"));

        var blocked = await client.ErrorAsync("PutResourcePolicy", Obj(("SecretId", "p"), ("ResourcePolicy", PublicPolicy), ("BlockPublicPolicy", true)), "PublicPolicyException");
        Assert.Contains("public access", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(PrivatePolicy, (await client.OkAsync("GetResourcePolicy", Obj(("SecretId", "p")))).Str("ResourcePolicy"));
        await client.OkAsync("PutResourcePolicy", Obj(("SecretId", "p"), ("ResourcePolicy", PublicPolicy)));

        foreach (var malformed in new[] { "{not json", "[]", """{"Statement":[]}""", """{"Statement":{"Effect":"Maybe","Principal":"*","Action":"x"}}""", """{"Statement":{"Effect":"Allow","Action":"x"}}""", """{"Version":"2020-01-01","Statement":{"Effect":"Allow","Principal":"*","Action":"x"}}""" })
        {
            var error = await client.ErrorAsync("PutResourcePolicy", Obj(("SecretId", "p"), ("ResourcePolicy", malformed)), "MalformedPolicyDocumentException");
            Assert.Equal("This resource policy contains a syntax error.", error.Message);
        }

        var passed = await client.OkAsync("ValidateResourcePolicy", Obj(("ResourcePolicy", PrivatePolicy)));
        Assert.True(passed["PolicyValidationPassed"]!.GetValue<bool>());
        Assert.Empty(passed["ValidationErrors"]!.AsArray());
        var failed = await client.OkAsync("ValidateResourcePolicy", Obj(("SecretId", "p"), ("ResourcePolicy", PublicPolicy)));
        Assert.False(failed["PolicyValidationPassed"]!.GetValue<bool>());
        Assert.Single(failed["ValidationErrors"]!.AsArray());
        await client.ErrorAsync("ValidateResourcePolicy", Obj(("ResourcePolicy", "{")), "MalformedPolicyDocumentException");

        await client.OkAsync("DeleteResourcePolicy", Obj(("SecretId", "p")));
        Assert.False((await client.OkAsync("GetResourcePolicy", Obj(("SecretId", "p")))).ContainsKey("ResourcePolicy"));
        foreach (var operation in new[] { "GetResourcePolicy", "DeleteResourcePolicy" })
        {
            await client.ErrorAsync(operation, Obj(("SecretId", "missing")), "ResourceNotFoundException");
        }

        await client.ErrorAsync("PutResourcePolicy", Obj(("SecretId", "missing"), ("ResourcePolicy", PrivatePolicy)), "ResourceNotFoundException");
        await client.ErrorAsync("ValidateResourcePolicy", Obj(("SecretId", "missing"), ("ResourcePolicy", PrivatePolicy)), "ResourceNotFoundException");
    }

    [Fact]
    public async Task Replication_ReplicasAreReadOnlySecretsInTheirRegion_FollowThePrimary_AndCanBePromoted()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var created = await client.OkAsync("CreateSecret", Obj(("Name", "r"), ("SecretString", "one"), ("AddReplicaRegions", new JsonArray { new JsonObject { ["Region"] = "eu-west-1" } })));
        var status = Assert.Single(created["ReplicationStatus"]!.AsArray())!;
        Assert.Equal("eu-west-1", status.Str("Region"));
        Assert.Equal("InSync", status.Str("Status"));
        var arn = created.Str("ARN");

        var primary = await client.OkAsync("DescribeSecret", Obj(("SecretId", "r")));
        Assert.Equal("us-east-1", primary.Str("PrimaryRegion"));
        Assert.Single(primary["ReplicationStatus"]!.AsArray());

        client.Region = "eu-west-1";
        var replica = await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")));
        Assert.Equal("one", replica.Str("SecretString"));
        Assert.Equal(arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal), replica.Str("ARN"));
        Assert.Equal(created.Str("VersionId"), replica.Str("VersionId"));
        var described = await client.OkAsync("DescribeSecret", Obj(("SecretId", "r")));
        Assert.Equal("us-east-1", described.Str("PrimaryRegion"));
        Assert.False(described.ContainsKey("ReplicationStatus"));
        var readOnly = await client.ErrorAsync("PutSecretValue", Obj(("SecretId", "r"), ("SecretString", "x")), "InvalidParameterException");
        Assert.Equal("Operation not permitted on a replica secret. Call must be made in primary secret's region.", readOnly.Message);
        await client.ErrorAsync("DeleteSecret", Obj(("SecretId", "r")), "InvalidParameterException");

        client.Region = "us-east-1";
        await client.OkAsync("PutSecretValue", Obj(("SecretId", "r"), ("SecretString", "two")));
        await client.OkAsync("UpdateSecret", Obj(("SecretId", "r"), ("Description", "shared")));
        client.Region = "eu-west-1";
        Assert.Equal("two", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")))).Str("SecretString"));
        Assert.Equal("shared", (await client.OkAsync("DescribeSecret", Obj(("SecretId", "r")))).Str("Description"));

        var promoted = await client.OkAsync("StopReplicationToReplica", Obj(("SecretId", "r")));
        Assert.Contains(":eu-west-1:", promoted.Str("ARN"), StringComparison.Ordinal);
        Assert.False((await client.OkAsync("DescribeSecret", Obj(("SecretId", "r")))).ContainsKey("PrimaryRegion"));
        await client.OkAsync("PutSecretValue", Obj(("SecretId", "r"), ("SecretString", "eu-own")));
        client.Region = "us-east-1";
        var standalone = await client.OkAsync("DescribeSecret", Obj(("SecretId", "r")));
        Assert.False(standalone.ContainsKey("ReplicationStatus"));
        Assert.False(standalone.ContainsKey("PrimaryRegion"));
        Assert.Equal("two", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")))).Str("SecretString"));
    }

    [Fact]
    public async Task ReplicateAndRemoveRegions_AndInvalidRegionsAreRefused()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "r"), ("SecretString", "v")));
        var replicated = await client.OkAsync("ReplicateSecretToRegions", Obj(("SecretId", "r"), ("AddReplicaRegions", new JsonArray { new JsonObject { ["Region"] = "eu-west-1" }, new JsonObject { ["Region"] = "ap-south-1", ["KmsKeyId"] = "alias/k" } })));
        Assert.Equal(["eu-west-1", "ap-south-1"], replicated["ReplicationStatus"]!.AsArray().Select(s => s.Str("Region")).ToArray());
        foreach (var bad in new[] { "us-east-1", "Mars", "eu-west-1x" })
        {
            var error = await client.ErrorAsync("ReplicateSecretToRegions", Obj(("SecretId", "r"), ("AddReplicaRegions", new JsonArray { new JsonObject { ["Region"] = bad } })), "InvalidParameterException");
            Assert.Equal("Invalid replica region.", error.Message);
        }

        var removed = await client.OkAsync("RemoveRegionsFromReplication", Obj(("SecretId", "r"), ("RemoveReplicaRegions", Array("eu-west-1"))));
        Assert.Equal(["ap-south-1"], removed["ReplicationStatus"]!.AsArray().Select(s => s.Str("Region")).ToArray());
        client.Region = "eu-west-1";
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "r")), "ResourceNotFoundException");
        client.Region = "ap-south-1";
        Assert.Equal("v", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")))).Str("SecretString"));
    }

    [Fact]
    public async Task AReplicaWhoseNameIsTaken_Fails_UnlessForced()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        client.Region = "eu-west-1";
        await client.OkAsync("CreateSecret", Obj(("Name", "r"), ("SecretString", "eu")));
        client.Region = "us-east-1";
        await client.OkAsync("CreateSecret", Obj(("Name", "r"), ("SecretString", "us")));
        var failed = Assert.Single((await client.OkAsync("ReplicateSecretToRegions", Obj(("SecretId", "r"), ("AddReplicaRegions", new JsonArray { new JsonObject { ["Region"] = "eu-west-1" } }))))["ReplicationStatus"]!.AsArray())!;
        Assert.Equal("Failed", failed.Str("Status"));
        Assert.Contains("already exists", failed.Str("StatusMessage"), StringComparison.Ordinal);
        await client.OkAsync("RemoveRegionsFromReplication", Obj(("SecretId", "r"), ("RemoveReplicaRegions", Array("eu-west-1"))));
        client.Region = "eu-west-1";
        Assert.Equal("eu", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")))).Str("SecretString"));
        client.Region = "us-east-1";
        await client.OkAsync("ReplicateSecretToRegions", Obj(("SecretId", "r"), ("ForceOverwriteReplicaSecret", true), ("AddReplicaRegions", new JsonArray { new JsonObject { ["Region"] = "eu-west-1" } })));
        client.Region = "eu-west-1";
        Assert.Equal("us", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "r")))).Str("SecretString"));
    }

    [Fact]
    public async Task CancelRotateSecret_TurnsRotationOff_AndKeepsAwsPending()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "c"), ("SecretString", "v")));
        await client.OkAsync("RotateSecret", Obj(("SecretId", "c"), ("RotationRules", new JsonObject { ["AutomaticallyAfterDays"] = 7 }), ("RotateImmediately", false)));
        var pending = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "c"), ("SecretString", "w"), ("VersionStages", Array("AWSPENDING"))))).Str("VersionId");
        var cancelled = await client.OkAsync("CancelRotateSecret", Obj(("SecretId", "c")));
        Assert.Equal(pending, cancelled.Str("VersionId"));
        var described = await client.OkAsync("DescribeSecret", Obj(("SecretId", "c")));
        Assert.False(described["RotationEnabled"]!.GetValue<bool>());
        Assert.False(described.ContainsKey("NextRotationDate"));
        Assert.Equal(["AWSPENDING"], described["VersionIdsToStages"]![pending]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        await client.ErrorAsync("CancelRotateSecret", Obj(("SecretId", "missing")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task TypeAndExternalRotationMetadata_AreStoredAndEchoed()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "t"), ("SecretString", "v"), ("Type", "SalesforceClientSecret")));
        Assert.Equal("SalesforceClientSecret", (await client.OkAsync("DescribeSecret", Obj(("SecretId", "t")))).Str("Type"));
        Assert.Equal("SalesforceClientSecret", (await client.OkAsync("ListSecrets", []))["SecretList"]![0].Str("Type"));
        await client.OkAsync("UpdateSecret", Obj(("SecretId", "t"), ("Type", "Other")));
        await client.OkAsync("RotateSecret", Obj(
            ("SecretId", "t"),
            ("RotateImmediately", false),
            ("ExternalSecretRotationMetadata", new JsonArray { new JsonObject { ["Key"] = "org", ["Value"] = "acme" } }),
            ("ExternalSecretRotationRoleArn", "arn:aws:iam::123456789012:role/partner")));
        var described = await client.OkAsync("DescribeSecret", Obj(("SecretId", "t")));
        Assert.Equal("Other", described.Str("Type"));
        Assert.Equal("acme", described["ExternalSecretRotationMetadata"]![0].Str("Value"));
        Assert.Equal("arn:aws:iam::123456789012:role/partner", described.Str("ExternalSecretRotationRoleArn"));
    }

    [Fact]
    public async Task EveryOperationOfTheModel_IsServed()
    {
        var model = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryReference(), "secretsmanager-2017-10-17.botocore.json")))!;
        var operations = model["operations"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(23, operations.Length);
        Assert.Equal(operations, Internals.SecretOperations.Names.Order(StringComparer.Ordinal).ToArray());
    }

    private static string RepositoryReference()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "shared", "reference")))
        {
            directory = directory.Parent;
        }

        return directory is null ? throw new InvalidOperationException("shared/reference not found above the test output.") : Path.Combine(directory.FullName, "shared", "reference");
    }
}
