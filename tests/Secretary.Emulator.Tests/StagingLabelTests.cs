using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class StagingLabelTests
{
    private static async Task<Dictionary<string, string[]>> StagesAsync(EmulatorClient client, string name)
    {
        var describe = await client.OkAsync("DescribeSecret", Obj(("SecretId", name)));
        return describe["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => s!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public async Task PutSecretValue_MovesCurrentToNewVersion_AndPreviousToOldCurrent()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "db"), ("SecretString", "one")))).Str("VersionId");
        var v2 = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "db"), ("SecretString", "two")))).Str("VersionId");

        var stages = await StagesAsync(client, "db");
        Assert.Equal(["AWSPREVIOUS"], stages[v1]);
        Assert.Equal(["AWSCURRENT"], stages[v2]);

        var v3 = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "db"), ("SecretString", "three")))).Str("VersionId");
        stages = await StagesAsync(client, "db");
        Assert.False(stages.ContainsKey(v1)); // deprecated: no label left
        Assert.Equal(["AWSPREVIOUS"], stages[v2]);
        Assert.Equal(["AWSCURRENT"], stages[v3]);

        var previous = await client.OkAsync("GetSecretValue", Obj(("SecretId", "db"), ("VersionStage", "AWSPREVIOUS")));
        Assert.Equal("two", previous.Str("SecretString"));
        var all = await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "db"), ("IncludeDeprecated", true)));
        Assert.Equal(3, all["Versions"]!.AsArray().Count);
        var labelled = await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "db")));
        Assert.Equal(2, labelled["Versions"]!.AsArray().Count);
        var old = await client.OkAsync("GetSecretValue", Obj(("SecretId", "db"), ("VersionId", v1)));
        Assert.Equal("one", old.Str("SecretString"));
        Assert.Empty(old["VersionStages"]!.AsArray());
    }

    [Fact]
    public async Task PutWithPendingStage_LeavesCurrentAlone()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "db"), ("SecretString", "one")))).Str("VersionId");
        var put = await client.OkAsync("PutSecretValue", Obj(("SecretId", "db"), ("SecretString", "two"), ("VersionStages", Array("AWSPENDING"))));
        Assert.Equal(["AWSPENDING"], put.Strings("VersionStages"));

        Assert.Equal("one", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "db")))).Str("SecretString"));
        Assert.Equal("two", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "db"), ("VersionStage", "AWSPENDING")))).Str("SecretString"));
        Assert.Equal(["AWSCURRENT"], (await StagesAsync(client, "db"))[v1]);
    }

    [Fact]
    public async Task UpdateSecretVersionStage_RequiresRemoveFrom_ThenPromotes_AndRollsBack()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "db"), ("SecretString", "one")))).Str("VersionId");
        var v2 = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "db"), ("SecretString", "two"), ("VersionStages", Array("AWSPENDING"))))).Str("VersionId");

        var refused = await client.ErrorAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSCURRENT"), ("MoveToVersionId", v2)), "InvalidParameterException");
        Assert.Contains(v1, refused.Message, StringComparison.Ordinal);

        await client.ErrorAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSCURRENT"), ("RemoveFromVersionId", v2), ("MoveToVersionId", v2)), "InvalidParameterException");

        await client.OkAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSCURRENT"), ("RemoveFromVersionId", v1), ("MoveToVersionId", v2)));
        var stages = await StagesAsync(client, "db");
        Assert.Equal(["AWSPREVIOUS"], stages[v1]);
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], stages[v2]);

        // Roll back: AWSCURRENT returns to v1, which loses AWSPREVIOUS; v2 becomes AWSPREVIOUS.
        await client.OkAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSCURRENT"), ("RemoveFromVersionId", v2), ("MoveToVersionId", v1)));
        stages = await StagesAsync(client, "db");
        Assert.Equal(["AWSCURRENT"], stages[v1]);
        Assert.Equal(["AWSPENDING", "AWSPREVIOUS"], stages[v2]);

        // Custom labels are removed without being moved; AWSCURRENT cannot be.
        await client.OkAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSPENDING"), ("RemoveFromVersionId", v2)));
        Assert.Equal(["AWSPREVIOUS"], (await StagesAsync(client, "db"))[v2]);
        await client.ErrorAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "AWSCURRENT"), ("RemoveFromVersionId", v1)), "InvalidParameterException");
        await client.ErrorAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "blue"), ("MoveToVersionId", new string('a', 32))), "ResourceNotFoundException");
        await client.OkAsync("UpdateSecretVersionStage", Obj(("SecretId", "db"), ("VersionStage", "blue"), ("MoveToVersionId", v2)));
        Assert.Equal("two", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "db"), ("VersionStage", "blue")))).Str("SecretString"));
    }

    [Fact]
    public async Task RotateSecret_PromotesNewVersion_RegeneratesPasswordKey_AndKeepsOtherKeys()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "db"), ("SecretString", """{"username":"app","password":"old-password"}""")))).Str("VersionId");
        var rotated = await client.OkAsync("RotateSecret", Obj(("SecretId", "db"), ("RotationRules", new JsonObject { ["AutomaticallyAfterDays"] = 7 })));
        var v2 = rotated.Str("VersionId");
        Assert.NotEqual(v1, v2);

        var stages = await StagesAsync(client, "db");
        Assert.Equal(["AWSPREVIOUS"], stages[v1]);
        Assert.Equal(["AWSCURRENT"], stages[v2]);
        var current = JsonNode.Parse((await client.OkAsync("GetSecretValue", Obj(("SecretId", "db")))).Str("SecretString"))!;
        Assert.Equal("app", current.Str("username"));
        Assert.NotEqual("old-password", current.Str("password"));
        Assert.Equal(32, current.Str("password").Length);

        var describe = await client.OkAsync("DescribeSecret", Obj(("SecretId", "db")));
        Assert.True(describe["RotationEnabled"]!.GetValue<bool>());
        Assert.Equal(7, describe["RotationRules"]!["AutomaticallyAfterDays"]!.GetValue<int>());
        Assert.NotNull(describe["LastRotatedDate"]);
        Assert.NotNull(describe["NextRotationDate"]);
    }

    [Fact]
    public async Task RotateSecret_PlainString_GetsNewRandomValue_AndResumesAPendingVersion()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "token"), ("SecretString", "plain")));
        var v2 = (await client.OkAsync("RotateSecret", Obj(("SecretId", "token")))).Str("VersionId");
        var value = await client.OkAsync("GetSecretValue", Obj(("SecretId", "token")));
        Assert.Equal(v2, value.Str("VersionId"));
        Assert.NotEqual("plain", value.Str("SecretString"));

        // An unfinished rotation (AWSPENDING not on AWSCURRENT) is resumed with its own version, whatever token is sent.
        var pending = (await client.OkAsync("PutSecretValue", Obj(("SecretId", "token"), ("SecretString", "half"), ("VersionStages", Array("AWSPENDING"))))).Str("VersionId");
        var resumed = await client.OkAsync("RotateSecret", Obj(("SecretId", "token"), ("ClientRequestToken", "0123456789abcdef0123456789abcdef")));
        Assert.Equal(pending, resumed.Str("VersionId"));
        var current = await client.OkAsync("GetSecretValue", Obj(("SecretId", "token")));
        Assert.Equal("half", current.Str("SecretString"));
        Assert.Equal(["AWSCURRENT"], current.Strings("VersionStages"));
    }

    [Fact]
    public async Task InProcessHelpers_PutAndRotate_MoveLabelsAndAreNotCounted()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var v1 = emulator.Server.PutSecret("app/key", "a");
        var v2 = emulator.Server.PutSecret("app/key", "b");
        var v3 = emulator.Server.RotateSecret("app/key");
        var stages = await StagesAsync(emulator.Client, "app/key");
        Assert.False(stages.ContainsKey(v1));
        Assert.Equal(["AWSPREVIOUS"], stages[v2]);
        Assert.Equal(["AWSCURRENT"], stages[v3]);
        Assert.Equal(1, emulator.Server.GetRequestCounts().Total);
        Assert.Throws<InvalidOperationException>(() => emulator.Server.RotateSecret("missing"));
    }
}
