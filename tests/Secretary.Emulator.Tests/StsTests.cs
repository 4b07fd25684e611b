using System.Net;
using System.Xml.Linq;
using Secretary.Emulator.Tests.Support;

namespace Secretary.Emulator.Tests;

/// <summary>STS GetCallerIdentity on the emulator's port (Query protocol, XML), as credential validators call it.</summary>
public sealed class StsTests
{
    private const string Call = "Action=GetCallerIdentity&Version=2011-06-15";
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static (string? Code, string? Message, string? Type) Error(XElement xml)
    {
        var error = xml.Element(Sts + "Error");
        return (error?.Element(Sts + "Code")?.Value, error?.Element(Sts + "Message")?.Value, error?.Element(Sts + "Type")?.Value);
    }

    [Fact]
    public async Task GetCallerIdentity_AnswersAccountArnAndUserId_InTheServiceXml()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.AccountId = "000011112222");
        var (status, xml, contentType) = await emulator.Client.StsAsync(Call);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/xml", contentType);
        Assert.Equal(Sts + "GetCallerIdentityResponse", xml.Name);
        var result = xml.Element(Sts + "GetCallerIdentityResult")!;
        Assert.Equal("000011112222", result.Element(Sts + "Account")!.Value);
        Assert.Equal("arn:aws:iam::000011112222:root", result.Element(Sts + "Arn")!.Value);
        Assert.Equal("000011112222", result.Element(Sts + "UserId")!.Value);
        Assert.False(string.IsNullOrEmpty(xml.Element(Sts + "ResponseMetadata")!.Element(Sts + "RequestId")!.Value));
        Assert.Equal(1, emulator.Server.GetRequestCounts().For("GetCallerIdentity"));
    }

    [Fact]
    public async Task GetCallerIdentity_ByQueryString_IsAnsweredToo()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.Server.Endpoint, "?" + Call));
        SigV4.Sign(request, [], "test", "test", "us-east-1", DateTimeOffset.UtcNow, "sts");
        using var response = await emulator.Client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Account>123456789012</Account>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecretKey_IsSignatureDoesNotMatch403()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Client.SecretKey = "wrong";
        var (status, xml, _) = await emulator.Client.StsAsync(Call);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(Sts + "ErrorResponse", xml.Name);
        var (code, message, type) = Error(xml);
        Assert.Equal("SignatureDoesNotMatch", code);
        Assert.Equal("Sender", type);
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", message, StringComparison.Ordinal);
        Assert.NotNull(xml.Element(Sts + "RequestId"));
        Assert.Equal(1, emulator.Server.GetRequestCounts().Failed);
    }

    [Fact]
    public async Task UnknownAccessKey_IsInvalidClientTokenId403()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Client.AccessKey = "AKIAOTHER";
        var (status, xml, _) = await emulator.Client.StsAsync(Call);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(("InvalidClientTokenId", "The security token included in the request is invalid.", "Sender"), Error(xml));
    }

    [Fact]
    public async Task SignedForSecretsManager_IsRefused_NamingSts()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var (status, xml, _) = await emulator.Client.StsAsync(Call, service: "secretsmanager");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(("SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.", "Sender"), Error(xml));
    }

    [Theory]
    [InlineData("Action=AssumeRole&Version=2011-06-15", "InvalidAction", "Could not find operation AssumeRole for version 2011-06-15")]
    [InlineData("Action=GetCallerIdentity&Version=2010-01-01", "InvalidAction", "Could not find operation GetCallerIdentity for version 2010-01-01")]
    [InlineData("Version=2011-06-15", "MissingAction", "Missing Action")]
    public async Task OtherActions_AreRefusedAsTheServiceDoes(string form, string code, string message)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var (status, xml, _) = await emulator.Client.StsAsync(form);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((code, message, "Sender"), Error(xml));
        var counts = emulator.Server.GetRequestCounts();
        Assert.Equal(1, counts.For(form.StartsWith("Action=GetCallerIdentity", StringComparison.Ordinal) ? "GetCallerIdentity" : "Unknown"));
        Assert.Equal(1, counts.Failed);
    }

    [Fact]
    public async Task InjectedOutage_ReachesSts_InItsXmlShape()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Server.SetFaults(new EmulatorFaults { Operations = { ["GetCallerIdentity"] = new EmulatorFaultRule { Throttle = true } } });
        var (status, xml, _) = await emulator.Client.StsAsync(Call);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("Throttling", "Rate exceeded", "Sender"), Error(xml));
        Assert.Equal(1, emulator.Server.GetRequestCounts().Faulted);
    }
}
