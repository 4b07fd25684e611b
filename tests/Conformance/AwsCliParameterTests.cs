using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>
/// The official AWS CLI (v1, <c>aws ssm ...</c>) against the emulator process's Parameter Store, and the
/// <c>secretary</c> command reading it (<c>get --store ssm</c>, <c>warm</c>) with the calls counted by the emulator.
/// </summary>
public sealed class AwsCliParameterTests : IClassFixture<EmulatorProcessFixture>
{
    private readonly EmulatorProcessFixture _fixture;
    private readonly AwsCli _aws;

    public AwsCliParameterTests(EmulatorProcessFixture fixture)
    {
        _fixture = fixture;
        _aws = fixture.Aws;
    }

    private Task<JsonObject> Ssm(params string[] arguments) => _aws.ServiceOkAsync("ssm", arguments);

    private static string Str(JsonNode node, string name) => node[name]!.GetValue<string>();

    [Fact]
    public async Task PutGetOverwriteAndHistory()
    {
        var put = await Ssm("put-parameter", "--name", "/cli/app/url", "--value", "one.example", "--type", "String");
        Assert.Equal(1, put["Version"]!.GetValue<long>());
        Assert.Equal("Standard", Str(put, "Tier"));
        await _aws.ServiceErrorAsync("ssm", "ParameterAlreadyExists", ["put-parameter", "--name", "/cli/app/url", "--value", "x", "--type", "String"]);
        Assert.Equal(2, (await Ssm("put-parameter", "--name", "/cli/app/url", "--value", "two.example", "--overwrite"))["Version"]!.GetValue<long>());

        var got = (await Ssm("get-parameter", "--name", "/cli/app/url"))["Parameter"]!;
        Assert.Equal(["two.example", "String", "arn:aws:ssm:us-east-1:123456789012:parameter/cli/app/url"], [Str(got, "Value"), Str(got, "Type"), Str(got, "ARN")]);
        Assert.Equal("one.example", Str((await Ssm("get-parameter", "--name", "/cli/app/url:1"))["Parameter"]!, "Value"));
        var history = (await Ssm("get-parameter-history", "--name", "/cli/app/url"))["Parameters"]!.AsArray();
        Assert.Equal(["one.example", "two.example"], history.Select(p => Str(p!, "Value")));
        await _aws.ServiceErrorAsync("ssm", "ParameterNotFound", ["get-parameter", "--name", "/cli/app/none"]);
        await _aws.ServiceErrorAsync("ssm", "ParameterVersionNotFound", ["get-parameter", "--name", "/cli/app/url:7"]);
    }

    [Fact]
    public async Task SecureString_LabelsAndGetParameters()
    {
        await Ssm("put-parameter", "--name", "/cli/sec/pw", "--value", "hunter2", "--type", "SecureString");
        Assert.NotEqual("hunter2", Str((await Ssm("get-parameter", "--name", "/cli/sec/pw"))["Parameter"]!, "Value"));
        Assert.Equal("hunter2", Str((await Ssm("get-parameter", "--name", "/cli/sec/pw", "--with-decryption"))["Parameter"]!, "Value"));

        var labelled = await Ssm("label-parameter-version", "--name", "/cli/sec/pw", "--labels", "prod");
        Assert.Equal(1, labelled["ParameterVersion"]!.GetValue<long>());
        Assert.Equal("hunter2", Str((await Ssm("get-parameter", "--name", "/cli/sec/pw:prod", "--with-decryption"))["Parameter"]!, "Value"));
        Assert.Equal(["prod"], (await Ssm("unlabel-parameter-version", "--name", "/cli/sec/pw", "--parameter-version", "1", "--labels", "prod"))["RemovedLabels"]!.AsArray().Select(l => l!.GetValue<string>()));

        var many = await Ssm("get-parameters", "--names", "/cli/sec/pw", "/cli/sec/none", "--with-decryption");
        Assert.Equal(["hunter2"], many["Parameters"]!.AsArray().Select(p => Str(p!, "Value")));
        Assert.Equal(["/cli/sec/none"], many["InvalidParameters"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task PathsDescribeTagsAndDelete()
    {
        foreach (var name in new[] { "/cli/tree/a", "/cli/tree/b/c", "/cli/tree/b/d" })
        {
            await Ssm("put-parameter", "--name", name, "--value", "v", "--type", "String");
        }

        // The CLI pages GetParametersByPath itself (at most 10 a call) and prints every parameter.
        var all = (await Ssm("get-parameters-by-path", "--path", "/cli/tree", "--recursive"))["Parameters"]!.AsArray();
        Assert.Equal(["/cli/tree/a", "/cli/tree/b/c", "/cli/tree/b/d"], all.Select(p => Str(p!, "Name")).Order(StringComparer.Ordinal));
        Assert.Equal(["/cli/tree/a"], (await Ssm("get-parameters-by-path", "--path", "/cli/tree"))["Parameters"]!.AsArray().Select(p => Str(p!, "Name")));

        var described = (await Ssm("describe-parameters", "--parameter-filters", "Key=Path,Option=Recursive,Values=/cli/tree"))["Parameters"]!.AsArray();
        Assert.Equal(3, described.Count);
        Assert.All(described, p => Assert.Null(p!["Value"]));

        await Ssm("add-tags-to-resource", "--resource-type", "Parameter", "--resource-id", "/cli/tree/a", "--tags", "Key=team,Value=core");
        Assert.Equal("core", Str((await Ssm("list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/cli/tree/a"))["TagList"]![0]!, "Value"));
        await Ssm("remove-tags-from-resource", "--resource-type", "Parameter", "--resource-id", "/cli/tree/a", "--tag-keys", "team");
        Assert.Empty((await Ssm("list-tags-for-resource", "--resource-type", "Parameter", "--resource-id", "/cli/tree/a"))["TagList"]!.AsArray());

        await Ssm("delete-parameter", "--name", "/cli/tree/a");
        var deleted = await Ssm("delete-parameters", "--names", "/cli/tree/b/c", "/cli/tree/a");
        Assert.Equal(["/cli/tree/b/c"], deleted["DeletedParameters"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["/cli/tree/a"], deleted["InvalidParameters"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task SecretsManagerReferencePath_ReadsTheSecret()
    {
        await _aws.OkAsync("create-secret", "--name", "cli/referenced", "--secret-string", "from-secrets-manager");
        var got = (await Ssm("get-parameter", "--name", "/aws/reference/secretsmanager/cli/referenced", "--with-decryption"))["Parameter"]!;
        Assert.Equal(["SecureString", "from-secrets-manager"], [Str(got, "Type"), Str(got, "Value")]);
        await _aws.ServiceErrorAsync("ssm", "ValidationException", ["get-parameter", "--name", "/aws/reference/secretsmanager/cli/referenced"]);
    }

    [Fact]
    public async Task SecretaryGetWithStoreSsm_ReadsTheParameter()
    {
        await Ssm("put-parameter", "--name", "/myapp/db/password", "--value", "from-parameter-store", "--type", "SecureString");
        var result = await ProcessRunner.RunCliAsync(["get", "/myapp/db/password", "--store", "ssm", "--endpoint-url", _fixture.Emulator.Endpoint, "--region", "us-east-1"], AwsCli.Environment());
        Assert.True(result.ExitCode == 0, "secretary get --store ssm failed: " + result);
        Assert.Equal("from-parameter-store", result.Stdout.TrimEnd('\n'));
    }
}
