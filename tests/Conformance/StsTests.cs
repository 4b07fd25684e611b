using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>STS GetCallerIdentity on the emulator's port, through the official AWS CLI (boto3: <see cref="Boto3Tests"/>).</summary>
public sealed class StsTests : IClassFixture<EmulatorProcessFixture>
{
    private readonly EmulatorProcessFixture _fixture;

    public StsTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task AwsCli_GetCallerIdentity_ShowsAccountArnAndUserId()
    {
        var result = await _fixture.Aws.RunServiceAsync("sts", ["get-caller-identity"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var identity = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("123456789012", identity["Account"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::123456789012:root", identity["Arn"]!.GetValue<string>());
        Assert.Equal("123456789012", identity["UserId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrong", "test", "SignatureDoesNotMatch")]
    [InlineData("test", "AKIAUNKNOWN", "InvalidClientTokenId")]
    public async Task AwsCli_InvalidCredentials_GetTheStsError(string secretKey, string accessKey, string code)
    {
        var result = await _fixture.Aws.RunServiceAsync("sts", ["get-caller-identity"], secretKey, accessKey);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"({code}) when calling the GetCallerIdentity operation", result.Stderr, StringComparison.Ordinal);
    }
}
