using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class IdempotencyTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task PutSecretValue_SameTokenSameValue_ReturnsSameVersion_WithoutNewVersion()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "one")));
        var first = await client.OkAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "two"), ("ClientRequestToken", Token)));
        var second = await client.OkAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "two"), ("ClientRequestToken", Token)));
        Assert.Equal(Token, first.Str("VersionId"));
        Assert.Equal(Token, second.Str("VersionId"));
        Assert.Equal(["AWSCURRENT"], second.Strings("VersionStages"));

        var versions = await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "s"), ("IncludeDeprecated", true)));
        Assert.Equal(2, versions["Versions"]!.AsArray().Count);
        // The repeat must not have moved AWSPREVIOUS away from the first version.
        var previous = await client.OkAsync("GetSecretValue", Obj(("SecretId", "s"), ("VersionStage", "AWSPREVIOUS")));
        Assert.Equal("one", previous.Str("SecretString"));
    }

    [Fact]
    public async Task PutSecretValue_SameTokenDifferentValue_IsResourceExists()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "one"), ("ClientRequestToken", Token)));
        var reply = await client.ErrorAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "other"), ("ClientRequestToken", Token)), "ResourceExistsException");
        Assert.DoesNotContain("other", reply.Text, StringComparison.Ordinal);
        await client.ErrorAsync("UpdateSecret", Obj(("SecretId", "s"), ("SecretString", "other"), ("ClientRequestToken", Token)), "ResourceExistsException");
        Assert.Equal("one", (await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString"));
    }

    [Fact]
    public async Task CreateSecret_RepeatWithSameTokenAndValue_IsIdempotent_ButNewTokenIsResourceExists()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        var first = await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v"), ("ClientRequestToken", Token)));
        var again = await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v"), ("ClientRequestToken", Token)));
        Assert.Equal(first.Str("ARN"), again.Str("ARN"));
        Assert.Equal(Token, again.Str("VersionId"));
        await client.ErrorAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")), "ResourceExistsException");
    }

    [Fact]
    public async Task RotateSecret_SameToken_RotatesOnce()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")));
        await client.OkAsync("RotateSecret", Obj(("SecretId", "s"), ("ClientRequestToken", Token)));
        var value = (await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString");
        await client.OkAsync("RotateSecret", Obj(("SecretId", "s"), ("ClientRequestToken", Token)));
        Assert.Equal(value, (await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString"));
        var versions = await client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "s"), ("IncludeDeprecated", true)));
        Assert.Equal(2, versions["Versions"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    public async Task ClientRequestToken_OutsideLengths_IsValidationError(string token)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s")));
        await emulator.Client.ErrorAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", "v"), ("ClientRequestToken", token)), "ValidationException");
    }
}
