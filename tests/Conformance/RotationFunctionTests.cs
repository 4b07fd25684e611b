using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>
/// The sample single-user rotation function (samples/RotationFunction) run by the emulator process as a command, driven
/// by the AWS CLI: a failed setSecret leaves AWSPENDING, and the next rotate-secret resumes it to the end.
/// </summary>
public sealed class RotationFunctionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-rotation-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Dictionary<string, string[]> Stages(JsonObject described) =>
        described["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());

    [Fact]
    public async Task SampleFunction_FailedSetSecret_IsResumedByTheNextRotateSecret()
    {
        var users = Path.Combine(_directory, "users.json");
        var sample = Path.Combine(RepoRoot.Path, "samples", "RotationFunction", "single_user_rotation.py");
        await using var emulator = await EmulatorProcess.StartAsync(
            new Dictionary<string, string?> { ["ROTATION_USERS_FILE"] = users },
            "--rotation-function", "single-user=cmd:" + sample);
        var aws = new AwsCli(emulator.Endpoint);
        var v1 = (await aws.OkAsync("create-secret", "--name", "db/app", "--secret-string", """{"username":"app","password":"first-password"}"""))["VersionId"]!.GetValue<string>();

        // The service (the users file) cannot be reached yet: setSecret fails, the call itself succeeds as on AWS.
        var first = await aws.OkAsync("rotate-secret", "--secret-id", "db/app", "--rotation-lambda-arn", "arn:aws:lambda:us-east-1:123456789012:function:single-user", "--rotation-rules", "AutomaticallyAfterDays=30");
        var token = first["VersionId"]!.GetValue<string>();
        var failed = await aws.OkAsync("describe-secret", "--secret-id", "db/app");
        Assert.Equal(["AWSCURRENT"], Stages(failed)[v1]);
        Assert.Equal(["AWSPENDING"], Stages(failed)[token]);
        Assert.Null(failed["LastRotatedDate"]);
        var record = (await emulator.AdminGetAsync("rotations"))["rotations"]!.AsArray()[^1]!;
        Assert.False(record["succeeded"]!.GetValue<bool>());
        Assert.Equal("setSecret", record["failedStep"]!.GetValue<string>());
        Assert.Contains("cannot be reached", record["error"]!.GetValue<string>(), StringComparison.Ordinal);

        await File.WriteAllTextAsync(users, """{"app":"first-password"}""");
        var second = await aws.OkAsync("rotate-secret", "--secret-id", "db/app");
        Assert.Equal(token, second["VersionId"]!.GetValue<string>());

        var done = await aws.OkAsync("describe-secret", "--secret-id", "db/app");
        Assert.Equal(["AWSCURRENT"], Stages(done)[token]);
        Assert.Equal(["AWSPREVIOUS"], Stages(done)[v1]);
        Assert.NotNull(done["LastRotatedDate"]);
        Assert.True(done["RotationEnabled"]!.GetValue<bool>());
        var current = JsonNode.Parse((await aws.OkAsync("get-secret-value", "--secret-id", "db/app"))["SecretString"]!.GetValue<string>())!;
        var service = JsonNode.Parse(await File.ReadAllTextAsync(users))!;
        Assert.Equal(current["password"]!.GetValue<string>(), service["app"]!.GetValue<string>());
        Assert.NotEqual("first-password", current["password"]!.GetValue<string>());
        Assert.True((await emulator.AdminGetAsync("rotations"))["rotations"]!.AsArray()[^1]!["succeeded"]!.GetValue<bool>());
    }
}
