using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class SigV4Tests
{
    private static readonly byte[] Empty = Encoding.UTF8.GetBytes("{}");

    [Fact]
    public async Task CorrectlySignedRequest_IsAccepted_WithConfiguredCredentials()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => (o.AccessKey, o.SecretKey) = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
        emulator.Client.AccessKey = "AKIDEXAMPLE";
        emulator.Client.SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        await emulator.Client.OkAsync("GetRandomPassword", []);
    }

    [Fact]
    public async Task WrongSecretKey_IsInvalidSignature403_WithTheAwsMessage()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Client.SecretKey = "wrong";
        var reply = await emulator.Client.ErrorAsync("GetRandomPassword", [], "InvalidSignatureException", HttpStatusCode.Forbidden);
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", reply.Message, StringComparison.Ordinal);
        Assert.Equal(1, emulator.Server.GetRequestCounts().Failed);
    }

    [Fact]
    public async Task UnknownAccessKey_IsUnrecognizedClient()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Client.AccessKey = "someone-else";
        await emulator.Client.ErrorAsync("GetRandomPassword", [], "UnrecognizedClientException", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MissingAuthorization_IsMissingAuthenticationToken()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Empty, sign: false);
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("MissingAuthenticationTokenException", reply.ErrorType);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/20260101/secretsmanager/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task MalformedAuthorization_IsIncompleteSignature(string authorization)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Empty, sign: false, afterSigning: r =>
        {
            r.Headers.TryAddWithoutValidation("Authorization", authorization);
            r.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        });
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("IncompleteSignatureException", reply.ErrorType);
    }

    [Fact]
    public async Task BodyChangedAfterSigning_IsRejected()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Empty, afterSigning: r => r.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"PasswordLength\":8}"))
        {
            Headers = { { "Content-Type", "application/x-amz-json-1.1" } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("InvalidSignatureException", reply.ErrorType);
    }

    [Fact]
    public async Task TargetChangedAfterSigning_IsRejected()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Empty, afterSigning: r =>
        {
            r.Headers.Remove("X-Amz-Target");
            r.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.ListSecrets");
        });
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("InvalidSignatureException", reply.ErrorType);
    }

    [Fact]
    public async Task WrongServiceInScope_IsRejected()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, emulator.Server.Endpoint) { Content = new ByteArrayContent(Empty) };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetRandomPassword");
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        SigV4.Sign(request, Empty, "test", "test", "us-east-1", DateTimeOffset.UtcNow, service: "kms");
        using var response = await emulator.Client.Http.SendAsync(request);
        var reply = await EmulatorClient.Reply.ReadAsync(response, default);
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("InvalidSignatureException", reply.ErrorType);
        Assert.Contains("secretsmanager", reply.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-16, false)]
    [InlineData(-14, true)]
    [InlineData(14, true)]
    [InlineData(16, false)]
    public async Task ClockSkew_IsBoundedByMaxClockSkew(int skewMinutes, bool accepted)
    {
        var serverClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = serverClock);
        var clientClock = new FakeTimeProvider(serverClock.GetUtcNow().AddMinutes(skewMinutes));
        emulator.Client.Clock = clientClock;
        var reply = await emulator.Client.CallAsync("GetRandomPassword", []);
        if (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
            Assert.Equal("InvalidSignatureException", reply.ErrorType);
            Assert.StartsWith(skewMinutes < 0 ? "Signature expired" : "Signature not yet current", reply.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ScopeDateNotMatchingXAmzDate_IsRejected()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Empty, afterSigning: r =>
        {
            r.Headers.Remove("X-Amz-Date");
            r.Headers.TryAddWithoutValidation("X-Amz-Date", DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyyMMdd'T'235959'Z'", System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal("InvalidSignatureException", reply.ErrorType);

        // The refusal must be the scope-date check, not the broken signature that any changed header also causes.
        Assert.StartsWith("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRegionInScope_IsRejected()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Client.Region = "Mars";
        await emulator.Client.ErrorAsync("GetRandomPassword", [], "InvalidSignatureException", HttpStatusCode.Forbidden);
    }

    [Fact]
    public void CanonicalQuery_SortsAndEncodes()
    {
        Assert.Equal("a=1&b=x%20y&c=%2F", Internals.SigV4Verifier.CanonicalQuery("c=%2F&b=x+y&a=1"));
        Assert.Equal("/", Internals.SigV4Verifier.CanonicalPath("/"));
        Assert.Equal("-_.~AZaz09%20%2F%C3%A9", Internals.SigV4Verifier.UriEncode("-_.~AZaz09 /\u00e9"));
    }
}
