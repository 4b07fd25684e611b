using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>What the AWS-verified suites record of the service, item by item (the official clients repeat these in tests/Conformance).</summary>
public sealed class ServiceBehaviourTests
{
    private static JsonArray Filters(params (string Key, string[] Values)[] filters)
    {
        var array = new JsonArray();
        foreach (var (key, values) in filters)
        {
            array.Add(new JsonObject { ["Key"] = key, ["Values"] = Array(values) });
        }

        return array;
    }

    private static async Task<string[]> NamesAsync(EmulatorClient client, JsonObject request) =>
        [.. (await client.OkAsync("ListSecrets", request))["SecretList"]!.AsArray().Select(s => s.Str("Name"))];

    [Fact]
    public async Task Filters_MatchWordPrefixes_AndSameKeyFiltersAreAnded()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "prod/AppBeta/x"), ("Description", "one and two")));
        await client.OkAsync("CreateSecret", Obj(("Name", "dev/app_gamma"), ("Description", "three")));
        await client.OkAsync("CreateSecret", Obj(("Name", "other"), ("Tags", new JsonArray { new JsonObject { ["Key"] = "Team", ["Value"] = "payments-core" } })));

        Assert.Equal(["prod/AppBeta/x"], await NamesAsync(client, Obj(("Filters", Filters(("all", ["AppBeta"]))))));
        Assert.Equal(["prod/AppBeta/x"], await NamesAsync(client, Obj(("Filters", Filters(("name", ["Beta"]))))));
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("name", ["beta"]))))));
        Assert.Equal(["prod/AppBeta/x"], await NamesAsync(client, Obj(("Filters", Filters(("all", ["beta"]))))));
        Assert.Equal(["dev/app_gamma"], await NamesAsync(client, Obj(("Filters", Filters(("name", ["gam"]))))));
        Assert.Equal(["prod/AppBeta/x"], await NamesAsync(client, Obj(("Filters", Filters(("description", ["ONE two"]))))));
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("description", ["one three"]))))));
        Assert.Equal(["other"], await NamesAsync(client, Obj(("Filters", Filters(("all", ["core"]))))));
        Assert.Equal(["other"], await NamesAsync(client, Obj(("Filters", Filters(("tag-key", ["Te"]))))));
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("tag-key", ["te"]))))));
        Assert.Equal(["other"], await NamesAsync(client, Obj(("Filters", Filters(("tag-value", ["payments"]))))));
        Assert.Equal(["prod/AppBeta/x", "dev/app_gamma", "other"], await NamesAsync(client, Obj(("Filters", Filters(("primary-region", ["us-east"]))))));
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("primary-region", ["eu-"]))))));
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("owning-service", ["rds"]))))));
        Assert.Equal(["prod/AppBeta/x", "dev/app_gamma", "other"], await NamesAsync(client, Obj(("Filters", Filters(("owning-service", ["!rds"]))))));

        // Two filters with one key: both must hold (ANDed); two values of one filter: either (ORed).
        Assert.Empty(await NamesAsync(client, Obj(("Filters", Filters(("name", ["prod"]), ("name", ["dev"]))))));
        Assert.Equal(["prod/AppBeta/x", "dev/app_gamma"], await NamesAsync(client, Obj(("Filters", Filters(("name", ["prod", "dev"]))))));
        Assert.Equal(["dev/app_gamma", "other"], await NamesAsync(client, Obj(("Filters", Filters(("name", ["!prod"]))))));
    }

    [Fact]
    public async Task ListSecrets_DefaultsToCreationOrder_OldestFirst_AndSortsByEveryKey()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        foreach (var name in new[] { "b", "c", "a" })
        {
            await client.OkAsync("CreateSecret", Obj(("Name", name), ("SecretString", "v")));
        }

        await client.OkAsync("GetSecretValue", Obj(("SecretId", "c")));
        Assert.Equal(["b", "c", "a"], await NamesAsync(client, []));
        Assert.Equal(["a", "c", "b"], await NamesAsync(client, Obj(("SortOrder", "desc"))));
        Assert.Equal(["a", "b", "c"], await NamesAsync(client, Obj(("SortBy", "name"))));
        Assert.Equal(["c", "b", "a"], await NamesAsync(client, Obj(("SortBy", "name"), ("SortOrder", "desc"))));
        Assert.Equal(["b", "a", "c"], await NamesAsync(client, Obj(("SortBy", "last-accessed-date"))));
        Assert.Equal(["b", "c", "a"], await NamesAsync(client, Obj(("SortBy", "last-changed-date"))));
        var bad = await client.ErrorAsync("ListSecrets", Obj(("SortBy", "size")), "ValidationException");
        Assert.Equal("1 validation error detected: Value 'size' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [created-date, last-accessed-date, last-changed-date, name]", bad.Message);
    }

    [Fact]
    public async Task ForcedDeletion_OfAnUnknownSecret_Succeeds_AndTheRangeErrorComesFirst()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var deleted = await emulator.Client.OkAsync("DeleteSecret", Obj(("SecretId", "never/was"), ("ForceDeleteWithoutRecovery", true)));
        Assert.Equal("never/was", deleted.Str("Name"));
        Assert.Matches(@"^arn:aws:secretsmanager:us-east-1:123456789012:secret:never/was-[A-Za-z0-9]{6}$", deleted.Str("ARN"));
        Assert.NotNull(deleted["DeletionDate"]);
        await emulator.Client.ErrorAsync("DeleteSecret", Obj(("SecretId", "never/was")), "ResourceNotFoundException");

        var both = await emulator.Client.ErrorAsync("DeleteSecret", Obj(("SecretId", "x"), ("ForceDeleteWithoutRecovery", true), ("RecoveryWindowInDays", 3)), "InvalidParameterException");
        Assert.Contains("between 7 and 30", both.Message, StringComparison.Ordinal);
        var inRange = await emulator.Client.ErrorAsync("DeleteSecret", Obj(("SecretId", "x"), ("ForceDeleteWithoutRecovery", true), ("RecoveryWindowInDays", 7)), "InvalidParameterException");
        Assert.Contains("ForceDeleteWithoutRecovery", inRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_LeavesOutMembersWithoutValue_AndKeepsEmptyTags()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "bare")));
        var bare = await client.OkAsync("DescribeSecret", Obj(("SecretId", "bare")));
        foreach (var absent in new[] { "RotationEnabled", "PrimaryRegion", "VersionIdsToStages", "Tags", "Description", "KmsKeyId", "LastAccessedDate", "DeletedDate", "RotationRules", "ReplicationStatus" })
        {
            Assert.False(bare.ContainsKey(absent), absent + " should be absent: " + bare.ToJsonString());
        }

        var listed = (await client.OkAsync("ListSecrets", []))["SecretList"]![0]!.AsObject();
        Assert.False(listed.ContainsKey("SecretVersionsToStages"));
        Assert.False(listed.ContainsKey("RotationEnabled"));

        await client.OkAsync("TagResource", Obj(("SecretId", "bare"), ("Tags", new JsonArray { new JsonObject { ["Key"] = "k", ["Value"] = "v" } })));
        await client.OkAsync("UntagResource", Obj(("SecretId", "bare"), ("TagKeys", Array("k"))));
        Assert.Empty((await client.OkAsync("DescribeSecret", Obj(("SecretId", "bare"))))["Tags"]!.AsArray());
    }

    [Fact]
    public async Task FirstVersion_WithOnlyAwsPending_AlsoGetsAwsCurrent()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "empty")));
        var put = await emulator.Client.OkAsync("PutSecretValue", Obj(("SecretId", "empty"), ("SecretString", "v"), ("VersionStages", Array("AWSPENDING"))));
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], put.Strings("VersionStages"));
        var second = await emulator.Client.OkAsync("PutSecretValue", Obj(("SecretId", "empty"), ("SecretString", "w"), ("VersionStages", Array("AWSPENDING"))));
        Assert.Equal(["AWSPENDING"], second.Strings("VersionStages"));
    }

    [Theory]
    [InlineData("CreateSecret")]
    [InlineData("PutSecretValue")]
    [InlineData("UpdateSecret")]
    public async Task SameTokenOtherValue_IsResourceExists_WithTheServiceMessage(string operation)
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        await using var emulator = await EmulatorFixture.StartAsync();
        var arn = (await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "one"), ("ClientRequestToken", Token)))).Str("ARN");
        var body = operation == "CreateSecret"
            ? Obj(("Name", "s"), ("SecretString", "two"), ("ClientRequestToken", Token))
            : Obj(("SecretId", "s"), ("SecretString", "two"), ("ClientRequestToken", Token));
        var reply = await emulator.Client.ErrorAsync(operation, body, "ResourceExistsException");
        Assert.Equal($"You can't use ClientRequestToken {Token} because that value is already in use for a version of secret {arn}.", reply.Message);
    }

    [Fact]
    public async Task GetRandomPassword_SpaceIsOptional_NotARequiredType()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            var password = (await emulator.Client.OkAsync("GetRandomPassword", Obj(("PasswordLength", 4), ("IncludeSpace", true)))).Str("RandomPassword");
            Assert.Equal(4, password.Length);
            Assert.Contains(password, char.IsAsciiLetterLower);
            Assert.Contains(password, char.IsAsciiLetterUpper);
            Assert.Contains(password, char.IsAsciiDigit);
            Assert.Contains(password, c => !char.IsAsciiLetterOrDigit(c) && c != ' ');
        }

        await emulator.Client.ErrorAsync("GetRandomPassword", Obj(("PasswordLength", 3), ("IncludeSpace", true)), "InvalidParameterException");
    }

    [Fact]
    public async Task ValidationMessages_NameTheValueAndTheOneBasedIndex()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var key = await emulator.Client.ErrorAsync("ListSecrets", Obj(("Filters", Filters(("name", ["a"]), ("invalid", ["b"])))), "ValidationException");
        Assert.Equal("1 validation error detected: Value 'invalid' at 'filters.2.member.key' failed to satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]", key.Message);
        var value = await emulator.Client.ErrorAsync("ListSecrets", Obj(("Filters", Filters(("name", ["bad#"])))), "ValidationException");
        Assert.StartsWith("1 validation error detected: Value 'bad#' at 'filters.1.member.values' failed to satisfy constraint: Member must satisfy regular expression pattern:", value.Message, StringComparison.Ordinal);
        var max = await emulator.Client.ErrorAsync("ListSecrets", Obj(("MaxResults", 101)), "ValidationException");
        Assert.Equal("1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100", max.Message);
        var stage = await emulator.Client.ErrorAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "v"), ("VersionStages", Array("ok", ""))), "ValidationException");
        Assert.Equal("1 validation error detected: Value '' at 'versionStages.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1", stage.Message);
        var secret = await emulator.Client.ErrorAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "")), "ValidationException");
        Assert.Equal("1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1", secret.Message);
    }

    [Theory]
    [InlineData("""{"SecretId":"a","SecretId":"b"}""")]
    [InlineData("""{"Name":"s","SecretString":"\ud800"}""")]
    [InlineData("""{"Name":"s","SecretString":"ok","Tags":[{"Key":"\udc00x","Value":"v"}]}""")]
    public async Task DuplicateKeysAndLoneSurrogates_Are400_AndNothingIsStored(string body)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var operation = body.Contains("Name", StringComparison.Ordinal) ? "CreateSecret" : "GetSecretValue";
        var reply = await emulator.Client.SendAsync(operation, Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SerializationException", reply.ErrorType);
        await emulator.Client.ErrorAsync("DescribeSecret", Obj(("SecretId", "s")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task MalformedChunkedBody_Is400()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, emulator.Server.Port);
        await using var stream = tcp.GetStream();
        var request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nContent-Type: application/x-amz-json-1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("InternalServiceError", answer, StringComparison.Ordinal);
    }
}
