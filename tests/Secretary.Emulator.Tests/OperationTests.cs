using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class OperationTests
{
    [Fact]
    public async Task Lookup_ByName_FullArn_PartialArn_ButNotOtherRegionOrAccount()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var arn = (await client.OkAsync("CreateSecret", Obj(("Name", "team/db"), ("SecretString", "v")))).Str("ARN");
        Assert.Matches(@"^arn:aws:secretsmanager:us-east-1:123456789012:secret:team/db-[A-Za-z0-9]{6}$", arn);
        var partial = arn[..^7];

        foreach (var id in new[] { "team/db", arn, partial })
        {
            var value = await client.OkAsync("GetSecretValue", Obj(("SecretId", id)));
            Assert.Equal("v", value.Str("SecretString"));
            Assert.Equal(arn, value.Str("ARN"));
        }

        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", arn[..^1] + (arn[^1] == 'x' ? "y" : "x"))), "ResourceNotFoundException");
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", arn.Replace("us-east-1", "us-west-2", StringComparison.Ordinal))), "ResourceNotFoundException");
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", arn.Replace("123456789012", "210987654321", StringComparison.Ordinal))), "ResourceNotFoundException");
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "team/db2")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task SecretsAreKeptPerRegion_FromTheCredentialScope()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        client.Region = "eu-west-1";
        var arn = (await client.OkAsync("CreateSecret", Obj(("Name", "regional"), ("SecretString", "eu")))).Str("ARN");
        Assert.StartsWith("arn:aws:secretsmanager:eu-west-1:", arn, StringComparison.Ordinal);
        client.Region = "us-east-1";
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "regional")), "ResourceNotFoundException");
        await client.OkAsync("CreateSecret", Obj(("Name", "regional"), ("SecretString", "us")));
        Assert.Equal("us", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "regional")))).Str("SecretString"));
        client.Region = "eu-west-1";
        Assert.Equal("eu", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "regional")))).Str("SecretString"));
    }

    [Fact]
    public async Task BinarySecret_RoundTripsAsBase64_AndTimestampsAreEpochSeconds()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        await client.OkAsync("CreateSecret", Obj(("Name", "bin"), ("SecretBinary", Convert.ToBase64String(bytes))));
        var value = await client.OkAsync("GetSecretValue", Obj(("SecretId", "bin")));
        Assert.Equal(bytes, Convert.FromBase64String(value.Str("SecretBinary")));
        Assert.Null(value["SecretString"]);
        var created = value["CreatedDate"]!.GetValue<double>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(created, now - 60, now + 60);
    }

    [Fact]
    public async Task CreateWithoutValue_HasNoCurrentVersion_UntilPut()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var created = await client.OkAsync("CreateSecret", Obj(("Name", "empty"), ("Description", "later")));
        Assert.Null(created["VersionId"]);
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "empty")), "ResourceNotFoundException");
        await client.OkAsync("PutSecretValue", Obj(("SecretId", "empty"), ("SecretString", "now")));
        Assert.Equal("now", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "empty")))).Str("SecretString"));
        Assert.Equal("later", (await client.OkAsync("DescribeSecret", Obj(("SecretId", "empty")))).Str("Description"));
    }

    [Fact]
    public async Task UpdateSecret_ChangesDescription_AndValueMakesNewCurrentVersion()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "u"), ("SecretString", "one")));
        var noValue = await client.OkAsync("UpdateSecret", Obj(("SecretId", "u"), ("Description", "d2")));
        Assert.Null(noValue["VersionId"]);
        var withValue = await client.OkAsync("UpdateSecret", Obj(("SecretId", "u"), ("SecretString", "two")));
        var value = await client.OkAsync("GetSecretValue", Obj(("SecretId", "u")));
        Assert.Equal(withValue.Str("VersionId"), value.Str("VersionId"));
        Assert.Equal("two", value.Str("SecretString"));
        Assert.Equal("d2", (await client.OkAsync("DescribeSecret", Obj(("SecretId", "u")))).Str("Description"));
    }

    [Fact]
    public async Task DeleteSecret_RefusesReads_ListsOnlyWithPlannedDeletion_AndRestores()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "gone"), ("SecretString", "v")));
        await client.ErrorAsync("DeleteSecret", Obj(("SecretId", "gone"), ("RecoveryWindowInDays", 6)), "InvalidParameterException");
        await client.ErrorAsync("DeleteSecret", Obj(("SecretId", "gone"), ("RecoveryWindowInDays", 31)), "InvalidParameterException");
        await client.ErrorAsync("DeleteSecret", Obj(("SecretId", "gone"), ("RecoveryWindowInDays", 7), ("ForceDeleteWithoutRecovery", true)), "InvalidParameterException");
        var deleted = await client.OkAsync("DeleteSecret", Obj(("SecretId", "gone"), ("RecoveryWindowInDays", 7)));
        var deletionDate = deleted["DeletionDate"]!.GetValue<double>();
        Assert.InRange(deletionDate - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (7 * 86400) - 60, (7 * 86400) + 60);

        var refused = await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "gone")), "InvalidRequestException");
        Assert.Contains("marked for deletion", refused.Message, StringComparison.Ordinal);
        await client.ErrorAsync("PutSecretValue", Obj(("SecretId", "gone"), ("SecretString", "x")), "InvalidRequestException");
        await client.ErrorAsync("CreateSecret", Obj(("Name", "gone"), ("SecretString", "x")), "InvalidRequestException");
        Assert.NotNull((await client.OkAsync("DescribeSecret", Obj(("SecretId", "gone"))))["DeletedDate"]);
        Assert.Empty((await client.OkAsync("ListSecrets", []))["SecretList"]!.AsArray());
        Assert.Single((await client.OkAsync("ListSecrets", Obj(("IncludePlannedDeletion", true))))["SecretList"]!.AsArray());

        await client.OkAsync("RestoreSecret", Obj(("SecretId", "gone")));
        Assert.Equal("v", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "gone")))).Str("SecretString"));
        Assert.Null((await client.OkAsync("DescribeSecret", Obj(("SecretId", "gone"))))["DeletedDate"]);

        await client.OkAsync("DeleteSecret", Obj(("SecretId", "gone"), ("ForceDeleteWithoutRecovery", true)));
        await client.ErrorAsync("DescribeSecret", Obj(("SecretId", "gone")), "ResourceNotFoundException");
        await client.OkAsync("CreateSecret", Obj(("Name", "gone"), ("SecretString", "again")));
    }

    [Fact]
    public async Task RecoveryWindow_Ends_ThenTheSecretIsPurged()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "p"), ("SecretString", "v")));
        await client.OkAsync("DeleteSecret", Obj(("SecretId", "p"), ("RecoveryWindowInDays", 7)));
        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "p")), "InvalidRequestException");
        clock.Advance(TimeSpan.FromMinutes(2));
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "p")), "ResourceNotFoundException");
        await client.ErrorAsync("RestoreSecret", Obj(("SecretId", "p")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task ListSecrets_FiltersSortsAndPaginates()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        var client = emulator.Client;
        for (var i = 0; i < 5; i++)
        {
            var tags = new JsonArray { new JsonObject { ["Key"] = "team", ["Value"] = i % 2 == 0 ? "red" : "blue" } };
            await client.OkAsync("CreateSecret", Obj(("Name", $"app/s{i}"), ("SecretString", "v"), ("Tags", tags), ("Description", $"Number {i}")));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await client.OkAsync("CreateSecret", Obj(("Name", "other"), ("SecretString", "v")));

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = Obj(("MaxResults", 2), ("SortOrder", "asc"), ("Filters", new JsonArray { new JsonObject { ["Key"] = "name", ["Values"] = Array("app/") } }));
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var page = await client.OkAsync("ListSecrets", body);
            names.AddRange(page["SecretList"]!.AsArray().Select(s => s.Str("Name")));
            token = page["NextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["app/s0", "app/s1", "app/s2", "app/s3", "app/s4"], names);

        var desc = await client.OkAsync("ListSecrets", Obj(("SortOrder", "desc")));
        Assert.Equal("other", desc["SecretList"]![0].Str("Name"));

        var red = await client.OkAsync("ListSecrets", Obj(("Filters", new JsonArray { new JsonObject { ["Key"] = "tag-value", ["Values"] = Array("red") } })));
        Assert.Equal(3, red["SecretList"]!.AsArray().Count);
        var notApp = await client.OkAsync("ListSecrets", Obj(("Filters", new JsonArray { new JsonObject { ["Key"] = "name", ["Values"] = Array("!app") } })));
        Assert.Equal("other", Assert.Single(notApp["SecretList"]!.AsArray()).Str("Name"));
        var described = await client.OkAsync("ListSecrets", Obj(("Filters", new JsonArray { new JsonObject { ["Key"] = "description", ["Values"] = Array("number 3") } })));
        Assert.Equal("app/s3", Assert.Single(described["SecretList"]!.AsArray()).Str("Name"));
        var entry = described["SecretList"]![0]!;
        Assert.Single(entry["SecretVersionsToStages"]!.AsObject());

        await client.ErrorAsync("ListSecrets", Obj(("NextToken", "bogus")), "InvalidNextTokenException");
        await client.ErrorAsync("ListSecrets", Obj(("Filters", new JsonArray { new JsonObject { ["Key"] = "colour", ["Values"] = Array("x") } })), "ValidationException");
        await client.ErrorAsync("ListSecrets", Obj(("MaxResults", 101)), "ValidationException");
    }

    [Fact]
    public async Task BatchGetSecretValue_ByIds_ReportsPerIdErrors()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "a"), ("SecretString", "1")));
        var arnB = (await client.OkAsync("CreateSecret", Obj(("Name", "b"), ("SecretString", "2")))).Str("ARN");
        await client.OkAsync("CreateSecret", Obj(("Name", "deleted"), ("SecretString", "3")));
        await client.OkAsync("DeleteSecret", Obj(("SecretId", "deleted")));

        var batch = await client.OkAsync("BatchGetSecretValue", Obj(("SecretIdList", Array("a", arnB, "missing", "deleted"))));
        var values = batch["SecretValues"]!.AsArray();
        Assert.Equal(["1", "2"], values.Select(v => v.Str("SecretString")).ToArray());
        var errors = batch["Errors"]!.AsArray().ToDictionary(e => e.Str("SecretId"), e => e.Str("ErrorCode"));
        Assert.Equal("ResourceNotFoundException", errors["missing"]);
        Assert.Equal("InvalidRequestException", errors["deleted"]);

        await client.ErrorAsync("BatchGetSecretValue", Obj(("SecretIdList", Array([.. Enumerable.Range(0, 21).Select(i => $"s{i}")]))), "ValidationException");
        await client.ErrorAsync("BatchGetSecretValue", [], "InvalidParameterException");
        await client.ErrorAsync("BatchGetSecretValue", Obj(("SecretIdList", Array("a")), ("Filters", new JsonArray())), "InvalidParameterException");
    }

    [Fact]
    public async Task BatchGetSecretValue_ByFilters_Paginates()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        for (var i = 0; i < 25; i++)
        {
            emulator.Server.PutSecret($"batch/{i:00}", $"v{i}");
        }

        var filters = new JsonArray { new JsonObject { ["Key"] = "name", ["Values"] = Array("batch/") } };
        var first = await client.OkAsync("BatchGetSecretValue", Obj(("Filters", filters.DeepClone()), ("MaxResults", 20)));
        Assert.Equal(20, first["SecretValues"]!.AsArray().Count);
        var second = await client.OkAsync("BatchGetSecretValue", Obj(("Filters", filters.DeepClone()), ("NextToken", first.Str("NextToken"))));
        Assert.Equal(5, second["SecretValues"]!.AsArray().Count);
        Assert.Null(second["NextToken"]);
        Assert.Equal(25, first["SecretValues"]!.AsArray().Concat(second["SecretValues"]!.AsArray()).Select(v => v.Str("Name")).Distinct().Count());
    }

    [Fact]
    public async Task TagAndUntag_MergeAndRemove()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "t"), ("SecretString", "v")));
        await client.OkAsync("TagResource", Obj(("SecretId", "t"), ("Tags", new JsonArray { new JsonObject { ["Key"] = "env", ["Value"] = "dev" }, new JsonObject { ["Key"] = "team", ["Value"] = "a" } })));
        await client.OkAsync("TagResource", Obj(("SecretId", "t"), ("Tags", new JsonArray { new JsonObject { ["Key"] = "team", ["Value"] = "b" } })));
        var tags = (await client.OkAsync("DescribeSecret", Obj(("SecretId", "t"))))["Tags"]!.AsArray().ToDictionary(t => t.Str("Key"), t => t.Str("Value"));
        Assert.Equal(new Dictionary<string, string> { ["env"] = "dev", ["team"] = "b" }, tags);
        await client.OkAsync("UntagResource", Obj(("SecretId", "t"), ("TagKeys", Array("env"))));
        tags = (await client.OkAsync("DescribeSecret", Obj(("SecretId", "t"))))["Tags"]!.AsArray().ToDictionary(t => t.Str("Key"), t => t.Str("Value"));
        Assert.Equal(["team"], tags.Keys);
        await client.ErrorAsync("TagResource", Obj(("SecretId", "t")), "ValidationException");
        await client.ErrorAsync("TagResource", Obj(("SecretId", "nope"), ("Tags", new JsonArray())), "ResourceNotFoundException");
    }

    [Fact]
    public async Task GetRandomPassword_HonoursOptions()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var defaults = (await client.OkAsync("GetRandomPassword", [])).Str("RandomPassword");
        Assert.Equal(32, defaults.Length);
        Assert.Contains(defaults, char.IsAsciiLetterLower);
        Assert.Contains(defaults, char.IsAsciiLetterUpper);
        Assert.Contains(defaults, char.IsAsciiDigit);
        Assert.Contains(defaults, c => "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".Contains(c, StringComparison.Ordinal));

        var digits = (await client.OkAsync("GetRandomPassword", Obj(("PasswordLength", 64), ("ExcludeLowercase", true), ("ExcludeUppercase", true), ("ExcludePunctuation", true), ("ExcludeCharacters", "0123"))))
            .Str("RandomPassword");
        Assert.Equal(64, digits.Length);
        Assert.All(digits, c => Assert.InRange(c, '4', '9'));

        await client.ErrorAsync("GetRandomPassword", Obj(("PasswordLength", 0)), "ValidationException");
        await client.ErrorAsync("GetRandomPassword", Obj(("PasswordLength", 4097)), "ValidationException");
        await client.ErrorAsync("GetRandomPassword", Obj(("ExcludeLowercase", true), ("ExcludeUppercase", true), ("ExcludePunctuation", true), ("ExcludeNumbers", true)), "InvalidParameterException");
        await client.ErrorAsync("GetRandomPassword", Obj(("PasswordLength", 3)), "InvalidParameterException");
    }

    [Fact]
    public async Task Limits_FromTheModel_AreEnforced()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", new string('n', 512)), ("SecretString", new string('x', 65536))));
        await client.ErrorAsync("CreateSecret", Obj(("Name", new string('n', 513))), "ValidationException");
        var tooBig = await client.ErrorAsync("CreateSecret", Obj(("Name", "big"), ("SecretString", new string('x', 65537))), "ValidationException");
        Assert.DoesNotContain("xxxx", tooBig.Text, StringComparison.Ordinal);
        // 65536 characters but more than 65536 UTF-8 bytes.
        await client.ErrorAsync("CreateSecret", Obj(("Name", "wide"), ("SecretString", new string('é', 40000))), "ValidationException");
        await client.ErrorAsync("CreateSecret", Obj(("Name", "bin"), ("SecretBinary", Convert.ToBase64String(new byte[65537]))), "ValidationException");
        await client.ErrorAsync("CreateSecret", Obj(("Name", "bad name!")), "InvalidParameterException");
        await client.ErrorAsync("CreateSecret", Obj(("Name", "both"), ("SecretString", "s"), ("SecretBinary", Convert.ToBase64String(Encoding.UTF8.GetBytes("b")))), "InvalidParameterException");
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", new string('i', 2049))), "ValidationException");
        await client.ErrorAsync("GetSecretValue", [], "ValidationException");
        await client.ErrorAsync("PutSecretValue", Obj(("SecretId", new string('n', 512))), "InvalidParameterException");
    }
}
