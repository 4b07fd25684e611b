using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>Behaviours docs/emulator.md promises that had no test of their own.</summary>
public sealed class PromisedBehaviourTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-promised-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Versions_AreCappedAt100_DroppingTheOldestWithoutLabels()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var first = (await client.OkAsync("CreateSecret", Obj(("Name", "many"), ("SecretString", "0")))).Str("VersionId");
        var second = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "many"), ("SecretString", "1")))).Str("VersionId");
        for (var i = 2; i < 105; i++)
        {
            await client.OkAsync("PutSecretValue", Obj(("SecretId", "many"), ("SecretString", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        var versions = new List<JsonNode>();
        string? token = null;
        do
        {
            var page = await client.OkAsync("ListSecretVersionIds", token is null ? Obj(("SecretId", "many"), ("IncludeDeprecated", true)) : Obj(("SecretId", "many"), ("IncludeDeprecated", true), ("NextToken", token)));
            versions.AddRange(page["Versions"]!.AsArray()!);
            token = page["NextToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(100, versions.Count);
        Assert.DoesNotContain(versions, v => v.Str("VersionId") == first || v.Str("VersionId") == second);
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "many"), ("VersionId", first)), "ResourceNotFoundException");
        Assert.Equal("104", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "many")))).Str("SecretString"));
        Assert.Equal("103", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "many"), ("VersionStage", "AWSPREVIOUS")))).Str("SecretString"));
    }

    [Fact]
    public async Task RotateImmediatelyFalse_OnlyStoresAndSchedules()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        var v1 = (await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")))).Str("VersionId");
        var reply = await emulator.Client.OkAsync("RotateSecret", Obj(("SecretId", "s"), ("RotationRules", new JsonObject { ["AutomaticallyAfterDays"] = 10 }), ("RotateImmediately", false)));
        Assert.False(reply.ContainsKey("VersionId"));
        var described = await emulator.Client.OkAsync("DescribeSecret", Obj(("SecretId", "s")));
        Assert.True(described["RotationEnabled"]!.GetValue<bool>());
        Assert.False(described.ContainsKey("LastRotatedDate"));
        Assert.Equal(clock.GetUtcNow().AddDays(10).ToUnixTimeSeconds(), (long)described["NextRotationDate"]!.GetValue<double>());
        Assert.Equal(v1, (await emulator.Client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("VersionId"));
        Assert.Empty(emulator.Server.Rotations());
    }

    [Fact]
    public async Task RotatingABinarySecret_Writes32NewBytes()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "bin"), ("SecretBinary", Convert.ToBase64String([1, 2, 3]))));
        var rotated = emulator.Server.RotateSecret("bin");
        var value = await emulator.Client.OkAsync("GetSecretValue", Obj(("SecretId", "bin")));
        Assert.Equal(rotated, value.Str("VersionId"));
        Assert.Equal(32, Convert.FromBase64String(value.Str("SecretBinary")).Length);
        Assert.False(value.ContainsKey("SecretString"));
    }

    [Fact]
    public async Task LastAccessedDate_IsTheDayOfTheLastRead()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 15, 30, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")))).Str("VersionId");
        Assert.False((await client.OkAsync("DescribeSecret", Obj(("SecretId", "s")))).ContainsKey("LastAccessedDate"));
        await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")));
        clock.Advance(TimeSpan.FromDays(2));
        var day = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(day, (long)(await client.OkAsync("DescribeSecret", Obj(("SecretId", "s"))))["LastAccessedDate"]!.GetValue<double>());
        var version = (await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "s"))))["Versions"]!.AsArray().Single(v => v.Str("VersionId") == v1)!;
        Assert.Equal(day, (long)version["LastAccessedDate"]!.GetValue<double>());
        await client.OkAsync("BatchGetSecretValue", Obj(("SecretIdList", Array("s"))));
        Assert.Equal(day + (2 * 86400), (long)(await client.OkAsync("DescribeSecret", Obj(("SecretId", "s"))))["LastAccessedDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task DeleteSecret_DefaultsToA30DayWindow_ThenPurges()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")));
        var deleted = await emulator.Client.OkAsync("DeleteSecret", Obj(("SecretId", "s")));
        Assert.Equal(clock.GetUtcNow().AddDays(30).ToUnixTimeSeconds(), (long)deleted["DeletionDate"]!.GetValue<double>());
        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await emulator.Client.ErrorAsync("GetSecretValue", Obj(("SecretId", "s")), "InvalidRequestException");
        clock.Advance(TimeSpan.FromSeconds(1));
        await emulator.Client.ErrorAsync("DescribeSecret", Obj(("SecretId", "s")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task BatchFilters_LeaveOutSecretsScheduledForDeletion()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "app/live"), ("SecretString", "1")));
        await client.OkAsync("CreateSecret", Obj(("Name", "app/doomed"), ("SecretString", "2")));
        await client.OkAsync("DeleteSecret", Obj(("SecretId", "app/doomed")));
        var filters = new JsonArray { new JsonObject { ["Key"] = "name", ["Values"] = Array("app") } };
        var batch = await client.OkAsync("BatchGetSecretValue", Obj(("Filters", filters)));
        Assert.Equal(["app/live"], batch["SecretValues"]!.AsArray().Select(v => v.Str("Name")).ToArray());
        Assert.Empty(batch["Errors"]!.AsArray());
        var byId = await client.OkAsync("BatchGetSecretValue", Obj(("SecretIdList", Array("app/doomed"))));
        Assert.Equal("InvalidRequestException", Assert.Single(byId["Errors"]!.AsArray())!.Str("ErrorCode"));
    }

    [Fact]
    public async Task AFailedDataFileWrite_Answers500_AndChangesNothing()
    {
        var data = Path.Combine(_directory, "state.json");
        await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "one")));

        // A directory where the data file should be: the rename of the next write fails.
        File.Delete(data);
        Directory.CreateDirectory(data);
        var failed = await client.CallAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "two")));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("InternalServiceError", failed.ErrorType);
        Assert.DoesNotContain("two", failed.Text, StringComparison.Ordinal);
        Assert.Equal("one", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString"));
        Assert.Single((await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "s"), ("IncludeDeprecated", true))))["Versions"]!.AsArray());
        await client.ErrorAsync("DescribeSecret", Obj(("SecretId", "other")), "ResourceNotFoundException");
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));

        Directory.Delete(data);
        await client.OkAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "three")));
        await using var restarted = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        Assert.Equal("three", (await restarted.Client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString"));
        Assert.Equal(2, (await restarted.Client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "s"), ("IncludeDeprecated", true))))["Versions"]!.AsArray().Count);
    }
}
