using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>The `secretary emulator` command itself: exact request counts, persistence across kill -9, seeding.</summary>
public sealed class EmulatorProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-conformance-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RequestsEndpoint_ShowsExactCounts()
    {
        await using var emulator = await EmulatorProcess.StartAsync();
        var aws = new AwsCli(emulator.Endpoint);
        await aws.OkAsync("create-secret", "--name", "demo", "--secret-string", """{"k":"v"}""");
        Assert.Equal("""{"k":"v"}""", (await aws.OkAsync("get-secret-value", "--secret-id", "demo"))["SecretString"]!.GetValue<string>());
        await aws.ErrorAsync("InvalidSignatureException", ["get-secret-value", "--secret-id", "demo"], secretKey: "wrong");

        var counts = await emulator.AdminGetAsync("requests");
        Assert.Equal(3, counts["total"]!.GetValue<long>());
        Assert.Equal(1, counts["operations"]!["CreateSecret"]!.GetValue<long>());
        Assert.Equal(2, counts["operations"]!["GetSecretValue"]!.GetValue<long>());
        Assert.Equal(1, counts["failed"]!.GetValue<long>());

        await emulator.AdminPostAsync("requests/reset");
        Assert.Equal(0, (await emulator.AdminGetAsync("requests"))["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task DataFile_SurvivesKillDashNine()
    {
        var data = Path.Combine(_directory, "emulator.json");
        string versionId;
        await using (var first = await EmulatorProcess.StartAsync("--data", data))
        {
            var aws = new AwsCli(first.Endpoint);
            await aws.OkAsync("create-secret", "--name", "persisted", "--secret-string", "one");
            versionId = (await aws.OkAsync("put-secret-value", "--secret-id", "persisted", "--secret-string", "two"))["VersionId"]!.GetValue<string>();
            await first.KillAsync();
        }

        await using var second = await EmulatorProcess.StartAsync("--data", data);
        var again = new AwsCli(second.Endpoint);
        var value = await again.OkAsync("get-secret-value", "--secret-id", "persisted");
        Assert.Equal("two", value["SecretString"]!.GetValue<string>());
        Assert.Equal(versionId, value["VersionId"]!.GetValue<string>());
        Assert.Equal("one", (await again.OkAsync("get-secret-value", "--secret-id", "persisted", "--version-stage", "AWSPREVIOUS"))["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task SeedFile_FromSamples_IsServed()
    {
        var sample = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json");
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(sample))!.AsObject().First();
        await using var emulator = await EmulatorProcess.StartAsync("--seed", sample);
        var value = await new AwsCli(emulator.Endpoint).OkAsync("get-secret-value", "--secret-id", expected.Key);
        var served = value["SecretString"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(expected.Value, JsonNode.Parse(served)) || expected.Value!.GetValue<string>() == served);
    }

    [Fact]
    public async Task FaultInjection_IsSeenByTheCli()
    {
        await using var emulator = await EmulatorProcess.StartAsync();
        await emulator.AdminPostAsync("faults", """{"operations": {"ListSecrets": {"throttle": true}}}""");
        await new AwsCli(emulator.Endpoint).ErrorAsync("ThrottlingException", ["list-secrets"]);
        await emulator.AdminPostAsync("faults", """{"outage": true}""");
        await new AwsCli(emulator.Endpoint).ErrorAsync("ServiceUnavailable", ["list-secrets"]);

        // AWS_MAX_ATTEMPTS=1: the CLI does not retry, so each command is exactly one call.
        var counts = await emulator.AdminGetAsync("requests");
        Assert.Equal(2, counts["operations"]!["ListSecrets"]!.GetValue<long>());
        Assert.Equal(2, counts["faulted"]!.GetValue<long>());
    }
}
