using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>The official AWS CLI (v1) against the emulator process: reads, writes, versions and staging labels.</summary>
public sealed class AwsCliSecretTests : IClassFixture<EmulatorProcessFixture>
{
    private readonly AwsCli _aws;

    public AwsCliSecretTests(EmulatorProcessFixture fixture) => _aws = fixture.Aws;

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    private static string[] Stages(JsonNode node) => [.. node["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>()).Order()];

    [Fact]
    public async Task CreateThenGet_ByName_FullArn_PartialArn()
    {
        var created = await _aws.OkAsync("create-secret", "--name", "cli/get", "--secret-string", """{"k":"v"}""", "--description", "conformance");
        var arn = Str(created, "ARN");
        Assert.Matches(@"^arn:aws:secretsmanager:us-east-1:123456789012:secret:cli/get-[A-Za-z0-9]{6}$", arn);
        foreach (var id in new[] { "cli/get", arn, arn[..^7] })
        {
            var value = await _aws.OkAsync("get-secret-value", "--secret-id", id);
            Assert.Equal("""{"k":"v"}""", Str(value, "SecretString"));
            Assert.Equal(Str(created, "VersionId"), Str(value, "VersionId"));
            Assert.Equal(["AWSCURRENT"], Stages(value));
            // The CLI renders the epoch-seconds timestamp it parsed; a string would have failed to parse.
            Assert.NotNull(value["CreatedDate"]);
        }
    }

    [Fact]
    public async Task PutSecretValue_ThenGet_ByVersionIdAndStage()
    {
        var v1 = Str(await _aws.OkAsync("create-secret", "--name", "cli/put", "--secret-string", "one"), "VersionId");
        var put = await _aws.OkAsync("put-secret-value", "--secret-id", "cli/put", "--secret-string", "two");
        var v2 = Str(put, "VersionId");
        Assert.Equal(["AWSCURRENT"], Stages(put));

        Assert.Equal("two", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/put"), "SecretString"));
        Assert.Equal("one", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/put", "--version-stage", "AWSPREVIOUS"), "SecretString"));
        Assert.Equal("one", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/put", "--version-id", v1), "SecretString"));
        Assert.Equal("two", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/put", "--version-id", v2, "--version-stage", "AWSCURRENT"), "SecretString"));

        var versions = await _aws.OkAsync("list-secret-version-ids", "--secret-id", "cli/put");
        Assert.Equal(2, versions["Versions"]!.AsArray().Count);

        const string token = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        Assert.Equal(token, Str(await _aws.OkAsync("put-secret-value", "--secret-id", "cli/put", "--secret-string", "three", "--client-request-token", token), "VersionId"));
        Assert.Equal(token, Str(await _aws.OkAsync("put-secret-value", "--secret-id", "cli/put", "--secret-string", "three", "--client-request-token", token), "VersionId"));
        await _aws.ErrorAsync("ResourceExistsException", ["put-secret-value", "--secret-id", "cli/put", "--secret-string", "four", "--client-request-token", token]);
    }

    [Fact]
    public async Task BinarySecret_RoundTrips()
    {
        var file = Path.GetTempFileName();
        try
        {
            byte[] bytes = [0, 1, 2, 200, 255];
            await File.WriteAllBytesAsync(file, bytes);
            await _aws.OkAsync("create-secret", "--name", "cli/bin", "--secret-binary", "fileb://" + file);
            var value = await _aws.OkAsync("get-secret-value", "--secret-id", "cli/bin");
            Assert.Equal(bytes, Convert.FromBase64String(Str(value, "SecretBinary")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task BatchGetSecretValue_WithAMissingId_ReportsErrors()
    {
        await _aws.OkAsync("create-secret", "--name", "cli/batch-a", "--secret-string", "a");
        await _aws.OkAsync("create-secret", "--name", "cli/batch-b", "--secret-string", "b");
        var batch = await _aws.OkAsync("batch-get-secret-value", "--secret-id-list", "cli/batch-a", "cli/batch-b", "cli/batch-missing");
        Assert.Equal(["a", "b"], batch["SecretValues"]!.AsArray().Select(v => Str(v!, "SecretString")).Order().ToArray());
        var error = Assert.Single(batch["Errors"]!.AsArray())!;
        Assert.Equal("cli/batch-missing", Str(error, "SecretId"));
        Assert.Equal("ResourceNotFoundException", Str(error, "ErrorCode"));

        var filtered = await _aws.OkAsync("batch-get-secret-value", "--filters", "Key=name,Values=cli/batch-");
        Assert.Equal(2, filtered["SecretValues"]!.AsArray().Count);
    }

    [Fact]
    public async Task DescribeSecret_ShowsMetadataAndStages()
    {
        var v1 = Str(await _aws.OkAsync("create-secret", "--name", "cli/describe", "--secret-string", "x", "--description", "about", "--tags", "Key=team,Value=core"), "VersionId");
        var described = await _aws.OkAsync("describe-secret", "--secret-id", "cli/describe");
        Assert.Equal("about", Str(described, "Description"));
        Assert.Equal("core", Str(described["Tags"]![0]!, "Value"));
        Assert.Equal(["AWSCURRENT"], described["VersionIdsToStages"]![v1]!.AsArray().Select(s => s!.GetValue<string>()).ToArray());
        Assert.NotNull(described["CreatedDate"]);
        Assert.NotNull(described["LastChangedDate"]);
    }

    [Fact]
    public async Task ListSecrets_PaginatesByHand_AndByTheCliPaginator()
    {
        for (var i = 0; i < 5; i++)
        {
            await _aws.OkAsync("create-secret", "--name", $"cli/list/{i}", "--secret-string", "v");
        }

        var names = new List<string>();
        var arguments = new List<string> { "list-secrets", "--filters", "Key=name,Values=cli/list/", "--max-results", "2", "--no-paginate", "--sort-order", "asc" };
        var pages = 0;
        while (true)
        {
            var page = await _aws.OkAsync([.. arguments]);
            pages++;
            names.AddRange(page["SecretList"]!.AsArray().Select(s => Str(s!, "Name")));
            if (page["NextToken"] is not JsonValue token)
            {
                break;
            }

            arguments = [.. arguments.Take(8), "--next-token", token.GetValue<string>()];
        }

        Assert.Equal(3, pages);
        Assert.Equal(["cli/list/0", "cli/list/1", "cli/list/2", "cli/list/3", "cli/list/4"], names);

        var all = await _aws.OkAsync("list-secrets", "--filters", "Key=name,Values=cli/list/", "--page-size", "2");
        Assert.Equal(5, all["SecretList"]!.AsArray().Count);
    }

    [Fact]
    public async Task UpdateSecretVersionStage_MovesAwsCurrent()
    {
        var v1 = Str(await _aws.OkAsync("create-secret", "--name", "cli/stage", "--secret-string", "one"), "VersionId");
        var v2 = Str(await _aws.OkAsync("put-secret-value", "--secret-id", "cli/stage", "--secret-string", "two", "--version-stages", "AWSPENDING"), "VersionId");
        Assert.Equal("one", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/stage"), "SecretString"));
        await _aws.ErrorAsync("InvalidParameterException", ["update-secret-version-stage", "--secret-id", "cli/stage", "--version-stage", "AWSCURRENT", "--move-to-version-id", v2]);
        await _aws.OkAsync("update-secret-version-stage", "--secret-id", "cli/stage", "--version-stage", "AWSCURRENT", "--move-to-version-id", v2, "--remove-from-version-id", v1);
        Assert.Equal("two", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/stage"), "SecretString"));
        Assert.Equal(v1, Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/stage", "--version-stage", "AWSPREVIOUS"), "VersionId"));
    }

    [Fact]
    public async Task RotateSecret_WritesANewCurrentVersion()
    {
        var v1 = Str(await _aws.OkAsync("create-secret", "--name", "cli/rotate", "--secret-string", """{"username":"u","password":"p"}"""), "VersionId");
        var rotated = await _aws.OkAsync("rotate-secret", "--secret-id", "cli/rotate", "--rotation-rules", "AutomaticallyAfterDays=30");
        var v2 = Str(rotated, "VersionId");
        Assert.NotEqual(v1, v2);
        var current = await _aws.OkAsync("get-secret-value", "--secret-id", "cli/rotate");
        Assert.Equal(v2, Str(current, "VersionId"));
        var json = JsonNode.Parse(Str(current, "SecretString"))!;
        Assert.Equal("u", Str(json, "username"));
        Assert.NotEqual("p", Str(json, "password"));
        Assert.Equal(v1, Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/rotate", "--version-stage", "AWSPREVIOUS"), "VersionId"));
        var described = await _aws.OkAsync("describe-secret", "--secret-id", "cli/rotate");
        Assert.True(described["RotationEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DeleteAndRestore_DeletedSecretRefusesReads()
    {
        await _aws.OkAsync("create-secret", "--name", "cli/delete", "--secret-string", "v");
        var deleted = await _aws.OkAsync("delete-secret", "--secret-id", "cli/delete", "--recovery-window-in-days", "7");
        Assert.NotNull(deleted["DeletionDate"]);
        await _aws.ErrorAsync("InvalidRequestException", ["get-secret-value", "--secret-id", "cli/delete"]);
        await _aws.OkAsync("restore-secret", "--secret-id", "cli/delete");
        Assert.Equal("v", Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/delete"), "SecretString"));
        await _aws.OkAsync("delete-secret", "--secret-id", "cli/delete", "--force-delete-without-recovery");
        await _aws.ErrorAsync("ResourceNotFoundException", ["describe-secret", "--secret-id", "cli/delete"]);
    }

    [Fact]
    public async Task TagAndUntag()
    {
        await _aws.OkAsync("create-secret", "--name", "cli/tags", "--secret-string", "v");
        await _aws.OkAsync("tag-resource", "--secret-id", "cli/tags", "--tags", "Key=env,Value=dev", "Key=team,Value=core");
        await _aws.OkAsync("untag-resource", "--secret-id", "cli/tags", "--tag-keys", "env");
        var tags = (await _aws.OkAsync("describe-secret", "--secret-id", "cli/tags"))["Tags"]!.AsArray();
        var tag = Assert.Single(tags)!;
        Assert.Equal("team", Str(tag, "Key"));
        Assert.Equal("core", Str(tag, "Value"));
    }

    [Fact]
    public async Task GetRandomPassword()
    {
        var password = Str(await _aws.OkAsync("get-random-password", "--password-length", "40", "--exclude-punctuation"), "RandomPassword");
        Assert.Equal(40, password.Length);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }

    [Fact]
    public async Task UpdateSecret_ChangesValueAndDescription()
    {
        await _aws.OkAsync("create-secret", "--name", "cli/update", "--secret-string", "one");
        var updated = await _aws.OkAsync("update-secret", "--secret-id", "cli/update", "--secret-string", "two", "--description", "new");
        Assert.Equal(Str(updated, "VersionId"), Str(await _aws.OkAsync("get-secret-value", "--secret-id", "cli/update"), "VersionId"));
        Assert.Equal("new", Str(await _aws.OkAsync("describe-secret", "--secret-id", "cli/update"), "Description"));
    }
}
