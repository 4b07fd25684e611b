using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-emulator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task EveryAcknowledgedChange_IsOnDisk_BeforeTheResponse()
    {
        var data = Path.Combine(_directory, "state.json");
        await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        var client = emulator.Client;
        var arn = (await client.OkAsync("CreateSecret", Obj(("Name", "db"), ("SecretString", "one"), ("Tags", new JsonArray { new JsonObject { ["Key"] = "k", ["Value"] = "v" } })))).Str("ARN");
        var v2 = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "db"), ("SecretString", "two")))).Str("VersionId");
        await client.OkAsync("CreateSecret", Obj(("Name", "doomed"), ("SecretString", "x")));
        await client.OkAsync("DeleteSecret", Obj(("SecretId", "doomed"), ("RecoveryWindowInDays", 7)));

        // Snapshot the file while the emulator still runs, as a kill -9 right after the last response would leave it.
        var crashed = Path.Combine(_directory, "crashed.json");
        File.Copy(data, crashed);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));

        await using var restarted = await EmulatorFixture.StartAsync(o => o.DataFile = crashed);
        var value = await restarted.Client.OkAsync("GetSecretValue", Obj(("SecretId", arn)));
        Assert.Equal("two", value.Str("SecretString"));
        Assert.Equal(v2, value.Str("VersionId"));
        Assert.Equal("one", (await restarted.Client.OkAsync("GetSecretValue", Obj(("SecretId", "db"), ("VersionStage", "AWSPREVIOUS")))).Str("SecretString"));
        Assert.Equal("v", (await restarted.Client.OkAsync("DescribeSecret", Obj(("SecretId", "db"))))["Tags"]![0].Str("Value"));
        await restarted.Client.ErrorAsync("GetSecretValue", Obj(("SecretId", "doomed")), "InvalidRequestException");
    }

    [Fact]
    public async Task Restart_ReloadsState_AndKeepsCreationOrder()
    {
        var data = Path.Combine(_directory, "state.json");
        await using (var first = await EmulatorFixture.StartAsync(o => o.DataFile = data))
        {
            await first.Client.OkAsync("CreateSecret", Obj(("Name", "a"), ("SecretString", "1")));
            await first.Client.OkAsync("CreateSecret", Obj(("Name", "b"), ("SecretString", "2")));
            await first.Client.OkAsync("DeleteSecret", Obj(("SecretId", "b"), ("ForceDeleteWithoutRecovery", true)));
        }

        await using var second = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        await second.Client.OkAsync("CreateSecret", Obj(("Name", "c"), ("SecretString", "3")));
        var list = await second.Client.OkAsync("ListSecrets", Obj(("SortOrder", "asc")));
        Assert.Equal(["a", "c"], list["SecretList"]!.AsArray().Select(s => s.Str("Name")).ToArray());
    }

    [Fact]
    public async Task SeedFile_PreloadsStringsAndObjects_WithoutOverwritingPersistedSecrets()
    {
        var seed = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seed, """{"app/plain": "text", "app/json": {"password": "p", "port": 5432}}""");
        var data = Path.Combine(_directory, "state.json");
        await using (var first = await EmulatorFixture.StartAsync(o => (o.SeedFile, o.DataFile) = (seed, data)))
        {
            Assert.Equal("text", (await first.Client.OkAsync("GetSecretValue", Obj(("SecretId", "app/plain")))).Str("SecretString"));
            var json = JsonNode.Parse((await first.Client.OkAsync("GetSecretValue", Obj(("SecretId", "app/json")))).Str("SecretString"))!;
            Assert.Equal(5432, json["port"]!.GetValue<int>());
            await first.Client.OkAsync("PutSecretValue", Obj(("SecretId", "app/plain"), ("SecretString", "changed")));
        }

        await using var second = await EmulatorFixture.StartAsync(o => (o.SeedFile, o.DataFile) = (seed, data));
        Assert.Equal("changed", (await second.Client.OkAsync("GetSecretValue", Obj(("SecretId", "app/plain")))).Str("SecretString"));
    }

    [Fact]
    public async Task SamplesDevSecrets_SeedsEverySecret()
    {
        var sample = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json");
        var names = JsonNode.Parse(await File.ReadAllTextAsync(sample))!.AsObject().Select(p => p.Key).ToList();
        await using var emulator = await EmulatorFixture.StartAsync(o => o.SeedFile = sample);
        var batch = await emulator.Client.OkAsync("BatchGetSecretValue", Obj(("SecretIdList", Array([.. names.Take(20)]))));
        Assert.Equal(Math.Min(20, names.Count), batch["SecretValues"]!.AsArray().Count);
        Assert.Empty(batch["Errors"]!.AsArray());
    }

    [Theory]
    [InlineData("{broken")]
    [InlineData("[1]")]
    [InlineData("""{"a": null}""")]
    public async Task BadSeedFile_FailsTheStart_WithInvalidData(string content)
    {
        var seed = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seed, content);
        await Assert.ThrowsAsync<InvalidDataException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, SeedFile = seed }));
    }

    [Fact]
    public async Task CorruptDataFile_FailsTheStart_WithInvalidData()
    {
        var data = Path.Combine(_directory, "state.json");
        await File.WriteAllTextAsync(data, "{ not json");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DataFile = data }));
        Assert.Contains(data, error.Message, StringComparison.Ordinal);
    }
}
