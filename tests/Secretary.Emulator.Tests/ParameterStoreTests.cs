using System.Net;
using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;

namespace Secretary.Emulator.Tests;

/// <summary>Parameter Store on the emulator's port: writes, versions, labels, tiers, reads, hierarchies, listing, tags, errors.</summary>
public sealed class ParameterStoreTests
{
    private static async Task<(EmulatorFixture Fixture, ParameterStoreTestClient Ssm)> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var fixture = await EmulatorFixture.StartAsync(configure);
        return (fixture, new ParameterStoreTestClient(fixture.Client, fixture.Server.Endpoint));
    }

    [Fact]
    public async Task Put_then_get_answers_the_parameter_shape_with_versions_counting_from_one()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        var first = await ssm.PutAsync("/app/db/host", "db1");
        Assert.Equal(1, first["Version"]!.GetValue<long>());
        Assert.Equal("Standard", first["Tier"]!.GetValue<string>());
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/app/db/host", ["Value"] = "db2", ["Type"] = "String" }, "ParameterAlreadyExists");
        var second = await ssm.PutAsync("/app/db/host", "db2", overwrite: true);
        Assert.Equal(2, second["Version"]!.GetValue<long>());

        var parameter = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/app/db/host" }))["Parameter"]!.AsObject();
        Assert.Equal(["Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType"], parameter.Select(p => p.Key));
        Assert.Equal("db2", parameter["Value"]!.GetValue<string>());
        Assert.Equal(2, parameter["Version"]!.GetValue<long>());
        Assert.Equal("arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host", parameter["ARN"]!.GetValue<string>());
        Assert.Equal("text", parameter["DataType"]!.GetValue<string>());

        var old = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/app/db/host:1" }))["Parameter"]!;
        Assert.Equal("db1", old["Value"]!.GetValue<string>());
        Assert.Equal(":1", old["Selector"]!.GetValue<string>());
        await ssm.ErrorAsync("GetParameter", new JsonObject { ["Name"] = "/app/db/host:7" }, "ParameterVersionNotFound");
        var missing = await ssm.ErrorAsync("GetParameter", new JsonObject { ["Name"] = "/app/none" }, "ParameterNotFound");
        Assert.Equal(string.Empty, missing.Message);
    }

    [Fact]
    public async Task A_secure_string_is_ciphertext_unless_read_with_decryption()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/app/secret", "s3cret-value", "SecureString");
        var plain = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/app/secret", ["WithDecryption"] = true }))["Parameter"]!;
        var cipher = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/app/secret" }))["Parameter"]!;
        Assert.Equal("s3cret-value", plain["Value"]!.GetValue<string>());
        Assert.NotEqual("s3cret-value", cipher["Value"]!.GetValue<string>());
        Assert.DoesNotContain("s3cret", cipher["Value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("SecureString", cipher["Type"]!.GetValue<string>());
        var described = (await ssm.OkAsync("DescribeParameters", []))["Parameters"]!.AsArray().Single()!;
        Assert.Equal("alias/aws/ssm", described["KeyId"]!.GetValue<string>());
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/app/plain", ["Value"] = "x", ["Type"] = "String", ["KeyId"] = "alias/mine" }, "ValidationException");
    }

    [Fact]
    public async Task Tiers_hold_4_KB_standard_and_8_KB_advanced_and_never_downgrade()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/t/standard", new string('a', 4096));
        var tooBig = await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/t/big", ["Value"] = new string('a', 4097), ["Type"] = "String" }, "ValidationException");
        Assert.Contains("4096", tooBig.Message, StringComparison.Ordinal);
        Assert.Equal("Advanced", (await ssm.PutAsync("/t/big", new string('a', 8192), tier: "Advanced"))["Tier"]!.GetValue<string>());
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/t/bigger", ["Value"] = new string('a', 8193), ["Type"] = "String", ["Tier"] = "Advanced" }, "ValidationException");
        Assert.Equal("Advanced", (await ssm.PutAsync("/t/auto", new string('a', 5000), tier: "Intelligent-Tiering"))["Tier"]!.GetValue<string>());
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/t/big", ["Value"] = "small", ["Overwrite"] = true, ["Tier"] = "Standard" }, "ValidationException");
        Assert.Equal("Advanced", (await ssm.PutAsync("/t/big", "small", overwrite: true))["Tier"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("aws-thing")]
    [InlineData("/ssm/thing")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("/a//b")]
    public async Task Names_the_service_refuses_are_validation_errors(string name)
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = "v", ["Type"] = "String" }, "ValidationException");
    }

    [Fact]
    public async Task Hierarchies_deeper_than_15_levels_are_refused()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/" + string.Join('/', Enumerable.Range(1, 15)), "ok");
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/" + string.Join('/', Enumerable.Range(1, 16)), ["Value"] = "v", ["Type"] = "String" }, "HierarchyLevelLimitExceededException");
    }

    [Fact]
    public async Task AllowedPattern_and_DataType_are_enforced()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.OkAsync("PutParameter", new JsonObject { ["Name"] = "/p/port", ["Value"] = "5432", ["Type"] = "String", ["AllowedPattern"] = "^\\d+$" });
        var mismatch = await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/p/port", ["Value"] = "abc", ["Type"] = "String", ["Overwrite"] = true }, "ParameterPatternMismatchException");
        Assert.DoesNotContain("abc", mismatch.Text, StringComparison.Ordinal);
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/p/bad", ["Value"] = "x", ["Type"] = "String", ["AllowedPattern"] = "([" }, "InvalidAllowedPatternException");
        await ssm.OkAsync("PutParameter", new JsonObject { ["Name"] = "/p/ami", ["Value"] = "ami-0123456789abcdef0", ["Type"] = "String", ["DataType"] = "aws:ec2:image" });
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/p/ami2", ["Value"] = "not-an-ami", ["Type"] = "String", ["DataType"] = "aws:ec2:image" }, "ValidationException");
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/p/x", ["Value"] = "x", ["Type"] = "String", ["DataType"] = "Text" }, "ValidationException");
        var ami = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/p/ami" }))["Parameter"]!;
        Assert.Equal("aws:ec2:image", ami["DataType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Labels_move_between_versions_and_a_version_holds_at_most_ten()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/l/x", "v1");
        await ssm.PutAsync("/l/x", "v2", overwrite: true);
        var labelled = await ssm.OkAsync("LabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["ParameterVersion"] = 1, ["Labels"] = new JsonArray("prod", "1bad", "awsx") });
        Assert.Equal(["1bad", "awsx"], labelled["InvalidLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("v1", (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/l/x:prod" }))["Parameter"]!["Value"]!.GetValue<string>());

        await ssm.OkAsync("LabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["Labels"] = new JsonArray("prod") });
        Assert.Equal("v2", (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/l/x:prod" }))["Parameter"]!["Value"]!.GetValue<string>());
        var history = (await ssm.OkAsync("GetParameterHistory", new JsonObject { ["Name"] = "/l/x" }))["Parameters"]!.AsArray();
        Assert.Empty(history[0]!["Labels"]!.AsArray());
        Assert.Equal("prod", history[1]!["Labels"]![0]!.GetValue<string>());

        await ssm.OkAsync("LabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["ParameterVersion"] = 2, ["Labels"] = new JsonArray([.. Enumerable.Range(1, 9).Select(i => (JsonNode?)$"l{i}")]) });
        await ssm.ErrorAsync("LabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["ParameterVersion"] = 2, ["Labels"] = new JsonArray("eleventh") }, "ParameterVersionLabelLimitExceeded");
        await ssm.ErrorAsync("LabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["ParameterVersion"] = 9, ["Labels"] = new JsonArray("x") }, "ParameterVersionNotFound");

        var unlabelled = await ssm.OkAsync("UnlabelParameterVersion", new JsonObject { ["Name"] = "/l/x", ["ParameterVersion"] = 2, ["Labels"] = new JsonArray("prod", "nothere") });
        Assert.Equal(["prod"], unlabelled["RemovedLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(["nothere"], unlabelled["InvalidLabels"]!.AsArray().Select(l => l!.GetValue<string>()));
        await ssm.ErrorAsync("GetParameter", new JsonObject { ["Name"] = "/l/x:prod" }, "ParameterVersionNotFound");
    }

    [Fact]
    public async Task GetParameters_lists_what_it_cannot_answer_in_InvalidParameters_and_sorts_by_name()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/g/b", "B");
        await ssm.PutAsync("/g/a", "A");
        var answer = await ssm.OkAsync("GetParameters", new JsonObject { ["Names"] = new JsonArray("/g/b", "/g/missing", "/g/a", "/g/a:9") });
        Assert.Equal(["/g/a", "/g/b"], answer["Parameters"]!.AsArray().Select(p => p!["Name"]!.GetValue<string>()));
        Assert.Equal(["/g/missing", "/g/a:9"], answer["InvalidParameters"]!.AsArray().Select(p => p!.GetValue<string>()));
        await ssm.ErrorAsync("GetParameters", new JsonObject { ["Names"] = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode?)$"/g/{i}")]) }, "ValidationException");
    }

    [Fact]
    public async Task GetParametersByPath_reads_one_level_or_all_ten_a_page_with_filters()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        for (var i = 0; i < 25; i++)
        {
            await ssm.PutAsync($"/h/{i:D2}", $"v{i}", i % 5 == 0 ? "SecureString" : "String");
        }

        await ssm.PutAsync("/h/deep/x", "deep");
        await ssm.PutAsync("/other", "o");
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var body = new JsonObject { ["Path"] = "/h", ["Recursive"] = true };
            if (token is not null)
            {
                body["NextToken"] = token;
            }

            var page = await ssm.OkAsync("GetParametersByPath", body);
            var parameters = page["Parameters"]!.AsArray();
            Assert.True(parameters.Count <= 10);
            names.AddRange(parameters.Select(p => p!["Name"]!.GetValue<string>()));
            token = page["NextToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        Assert.Equal(26, names.Count);
        Assert.Equal(3, pages);
        Assert.Contains("/h/deep/x", names);

        var oneLevel = await ssm.OkAsync("GetParametersByPath", new JsonObject { ["Path"] = "/h/deep/" });
        Assert.Equal(["/h/deep/x"], oneLevel["Parameters"]!.AsArray().Select(p => p!["Name"]!.GetValue<string>()));
        var secure = await ssm.OkAsync("GetParametersByPath", new JsonObject { ["Path"] = "/h", ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Type", ["Values"] = new JsonArray("SecureString") }) });
        Assert.Equal(5, secure["Parameters"]!.AsArray().Count);
        await ssm.ErrorAsync("GetParametersByPath", new JsonObject { ["Path"] = "/h", ["MaxResults"] = 11 }, "ValidationException");
        await ssm.ErrorAsync("GetParametersByPath", new JsonObject { ["Path"] = "/h", ["NextToken"] = "garbage" }, "InvalidNextToken");
        await ssm.ErrorAsync("GetParametersByPath", new JsonObject { ["Path"] = "/h", ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Name", ["Values"] = new JsonArray("x") }) }, "InvalidFilterKey");
    }

    [Fact]
    public async Task DescribeParameters_filters_by_name_path_type_and_tag()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.OkAsync("PutParameter", new JsonObject { ["Name"] = "/d/a", ["Value"] = "1", ["Type"] = "String", ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "blue" }) });
        await ssm.PutAsync("/d/b/c", "2", "StringList");
        await ssm.PutAsync("plain", "3");
        async Task<string[]> Names(JsonArray filters) =>
            [.. (await ssm.OkAsync("DescribeParameters", new JsonObject { ["ParameterFilters"] = filters }))["Parameters"]!.AsArray().Select(p => p!["Name"]!.GetValue<string>())];
        Assert.Equal(["/d/a"], await Names(new JsonArray(new JsonObject { ["Key"] = "Path", ["Values"] = new JsonArray("/d") })));
        Assert.Equal(["/d/a", "/d/b/c"], await Names(new JsonArray(new JsonObject { ["Key"] = "Path", ["Option"] = "Recursive", ["Values"] = new JsonArray("/d") })));
        Assert.Equal(["/d/b/c"], await Names(new JsonArray(new JsonObject { ["Key"] = "Type", ["Values"] = new JsonArray("StringList") })));
        Assert.Equal(["/d/a"], await Names(new JsonArray(new JsonObject { ["Key"] = "tag:team", ["Values"] = new JsonArray("blue") })));
        Assert.Equal(["/d/a", "/d/b/c"], await Names(new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "BeginsWith", ["Values"] = new JsonArray("/d/") })));
        await ssm.ErrorAsync("DescribeParameters", new JsonObject { ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Label", ["Values"] = new JsonArray("x") }) }, "InvalidFilterKey");
        await ssm.ErrorAsync("DescribeParameters", new JsonObject { ["ParameterFilters"] = new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "Sideways", ["Values"] = new JsonArray("x") }) }, "InvalidFilterOption");
    }

    [Fact]
    public async Task Tags_are_added_listed_and_removed_and_delete_removes_parameters()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/tg/x", "1");
        await ssm.OkAsync("AddTagsToResource", new JsonObject { ["ResourceType"] = "Parameter", ["ResourceId"] = "/tg/x", ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "a", ["Value"] = "1" }, new JsonObject { ["Key"] = "b", ["Value"] = "2" }) });
        await ssm.OkAsync("RemoveTagsFromResource", new JsonObject { ["ResourceType"] = "Parameter", ["ResourceId"] = "/tg/x", ["TagKeys"] = new JsonArray("a") });
        var tags = (await ssm.OkAsync("ListTagsForResource", new JsonObject { ["ResourceType"] = "Parameter", ["ResourceId"] = "/tg/x" }))["TagList"]!.AsArray();
        Assert.Equal("b", tags.Single()!["Key"]!.GetValue<string>());
        await ssm.ErrorAsync("ListTagsForResource", new JsonObject { ["ResourceType"] = "Parameter", ["ResourceId"] = "/tg/none" }, "InvalidResourceId");
        await ssm.ErrorAsync("ListTagsForResource", new JsonObject { ["ResourceType"] = "Document", ["ResourceId"] = "/tg/x" }, "InvalidResourceType");

        await ssm.PutAsync("/tg/y", "2");
        var deleted = await ssm.OkAsync("DeleteParameters", new JsonObject { ["Names"] = new JsonArray("/tg/y", "/tg/none") });
        Assert.Equal(["/tg/y"], deleted["DeletedParameters"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["/tg/none"], deleted["InvalidParameters"]!.AsArray().Select(n => n!.GetValue<string>()));
        await ssm.OkAsync("DeleteParameter", new JsonObject { ["Name"] = "/tg/x" });
        await ssm.ErrorAsync("DeleteParameter", new JsonObject { ["Name"] = "/tg/x" }, "ParameterNotFound");
    }

    [Fact]
    public async Task The_secrets_manager_reference_path_reads_a_secret_with_decryption_only()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        fixture.Server.PutSecret("prod/db", "{\"password\":\"p1\"}");
        var parameter = (await ssm.OkAsync("GetParameter", new JsonObject { ["Name"] = "/aws/reference/secretsmanager/prod/db", ["WithDecryption"] = true }))["Parameter"]!;
        Assert.Equal("{\"password\":\"p1\"}", parameter["Value"]!.GetValue<string>());
        Assert.Equal("SecureString", parameter["Type"]!.GetValue<string>());
        Assert.Equal(0, parameter["Version"]!.GetValue<long>());
        Assert.StartsWith("arn:aws:secretsmanager:", parameter["ARN"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("p1", parameter["SourceResult"]!.GetValue<string>(), StringComparison.Ordinal);
        await ssm.ErrorAsync("GetParameter", new JsonObject { ["Name"] = "/aws/reference/secretsmanager/prod/db" }, "ValidationException");
        await ssm.ErrorAsync("GetParameter", new JsonObject { ["Name"] = "/aws/reference/secretsmanager/none", ["WithDecryption"] = true }, "ParameterNotFound");
    }

    [Fact]
    public async Task Calls_are_routed_by_target_and_signing_name_and_counted_per_operation()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/r/x", "1");
        var wrongService = await ssm.CallAsync("GetParameter", new JsonObject { ["Name"] = "/r/x" }, service: "secretsmanager");
        Assert.Equal(HttpStatusCode.Forbidden, wrongService.Status);
        var unknown = await ssm.CallAsync("GetParameter", new JsonObject { ["Name"] = "/r/x" }, target: "AmazonSSM.SendCommand");
        Assert.Equal("UnknownOperationException", unknown.ErrorType);
        var counts = fixture.Server.GetRequestCounts();
        Assert.Equal(1, counts.Operations["PutParameter"]);
        Assert.Equal(1, counts.Operations["GetParameter"]);

        // Secrets Manager still answers on the same port.
        fixture.Server.PutSecret("s", "v");
        Assert.Equal("v", (await fixture.Client.OkAsync("GetSecretValue", new JsonObject { ["SecretId"] = "s" }))["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_parameter_seed_file_creates_typed_parameters()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"ssm-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed, "{\"/s/plain\": \"v\", \"/s/secure\": {\"Type\": \"SecureString\", \"Value\": \"x\"}}");
        try
        {
            var (fixture, ssm) = await StartAsync(o => o.ParameterSeedFile = seed);
            await using var _ = fixture;
            var described = (await ssm.OkAsync("DescribeParameters", []))["Parameters"]!.AsArray();
            Assert.Equal(["String", "SecureString"], described.Select(p => p!["Type"]!.GetValue<string>()));
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public async Task Tags_and_overwrite_together_are_refused()
    {
        var (fixture, ssm) = await StartAsync();
        await using var _ = fixture;
        await ssm.PutAsync("/o/x", "1");
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/o/x", ["Value"] = "2", ["Overwrite"] = true, ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "k", ["Value"] = "v" }) }, "ValidationException");
        await ssm.ErrorAsync("PutParameter", new JsonObject { ["Name"] = "/o/new", ["Value"] = "2" }, "ValidationException");
    }
}
