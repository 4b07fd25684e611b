using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>Error codes as the official AWS CLI reports them, signature checks, request counts and persistence.</summary>
public sealed class AwsCliErrorTests : IClassFixture<EmulatorProcessFixture>
{
    private readonly EmulatorProcessFixture _fixture;

    public AwsCliErrorTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    private AwsCli Aws => _fixture.Aws;

    [Fact]
    public async Task NotFound_InvalidParameter_InvalidRequest()
    {
        await Aws.ErrorAsync("ResourceNotFoundException", ["get-secret-value", "--secret-id", "err/none"]);
        await Aws.OkAsync("create-secret", "--name", "err/param", "--secret-string", "v");
        await Aws.ErrorAsync("InvalidParameterException", ["delete-secret", "--secret-id", "err/param", "--recovery-window-in-days", "3"]);
        await Aws.ErrorAsync("InvalidParameterException", ["create-secret", "--name", "bad name", "--secret-string", "v"]);
        await Aws.ErrorAsync("ResourceExistsException", ["create-secret", "--name", "err/param", "--secret-string", "v"]);
        await Aws.OkAsync("delete-secret", "--secret-id", "err/param");
        await Aws.ErrorAsync("InvalidRequestException", ["get-secret-value", "--secret-id", "err/param"]);
        await Aws.ErrorAsync("InvalidRequestException", ["put-secret-value", "--secret-id", "err/param", "--secret-string", "w"]);
        await Aws.ErrorAsync("InvalidNextTokenException", ["list-secrets", "--no-paginate", "--next-token", "bm9wZQ=="]);
    }

    [Fact]
    public async Task WrongSecretKey_IsRefusedWithASignatureError()
    {
        await Aws.OkAsync("create-secret", "--name", "err/sig", "--secret-string", "v");
        var refused = await Aws.ErrorAsync("InvalidSignatureException", ["get-secret-value", "--secret-id", "err/sig"], secretKey: "wrong");
        Assert.Contains("signature we calculated does not match", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v\"", refused.Stdout, StringComparison.Ordinal);
        await Aws.ErrorAsync("UnrecognizedClientException", ["get-secret-value", "--secret-id", "err/sig"], accessKey: "AKIAOTHER");
    }

    [Fact]
    public async Task SecretsAreKeptPerRegion()
    {
        var created = await Aws.RunAsync(["create-secret", "--name", "err/region", "--secret-string", "eu"], region: "eu-central-1");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("arn:aws:secretsmanager:eu-central-1:", created.Stdout, StringComparison.Ordinal);
        await Aws.ErrorAsync("ResourceNotFoundException", ["get-secret-value", "--secret-id", "err/region"]);
    }
}
