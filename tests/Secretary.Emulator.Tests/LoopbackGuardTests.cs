using System.Net;
using System.Text;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>
/// The attacker is a web page: it rebinds its DNS name to 127.0.0.1 (so its requests carry its own Host) or posts
/// cross-site (so they carry its Origin, and only a "simple" content type without custom headers).
/// </summary>
public sealed class LoopbackGuardTests
{
    private static async Task<HttpStatusCode> SendAsync(EmulatorFixture emulator, HttpMethod method, string path, Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(method, new Uri(emulator.Server.Endpoint, path));
        shape(request);
        using var response = await emulator.Client.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:4566")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("10.0.0.5")]
    public async Task ForeignHost_IsRefusedOnEveryRoute_BeforeAnythingRuns(string host)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "kept"), ("SecretString", "v")));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(emulator, HttpMethod.Get, "_emulator/requests", r => r.Headers.Host = host));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(emulator, HttpMethod.Post, "_emulator/reset", r =>
        {
            r.Headers.Host = host;
            r.Headers.TryAddWithoutValidation("X-Secretary-Admin", "1");
            r.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }));

        // A signed protocol call with the rebound Host: refused before it is counted or read.
        var reply = await emulator.Client.SendAsync("GetSecretValue", Encoding.UTF8.GetBytes("""{"SecretId":"kept"}"""), afterSigning: r => r.Headers.Host = host);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("not a loopback name", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v\"", reply.Text, StringComparison.Ordinal);
        Assert.Equal(1, emulator.Server.GetRequestCounts().Total);
        Assert.Equal("v", (await emulator.Client.OkAsync("GetSecretValue", Obj(("SecretId", "kept")))).Str("SecretString"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:1234")]
    [InlineData("[::1]")]
    [InlineData("[::1]:4566")]
    public async Task LoopbackHosts_AreServed(string host)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        Assert.Equal(HttpStatusCode.OK, await SendAsync(emulator, HttpMethod.Get, "_emulator/health", r => r.Headers.Host = host));
    }

    [Fact]
    public async Task CrossSiteTextPlainPost_CannotResetTheEmulator()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "kept"), ("SecretString", "v")));

        // What an HTML form or a no-cors fetch can send: a simple content type, no custom header, its own Origin.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Post, "_emulator/reset", r =>
        {
            r.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
            r.Content = new StringContent("{}", Encoding.UTF8, "text/plain");
        }));

        // Even without an Origin (a privacy-stripped request), neither a simple content type nor a missing header passes.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Post, "_emulator/reset", r => r.Content = new StringContent("{}", Encoding.UTF8, "text/plain")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Post, "_emulator/faults", r => r.Content = new StringContent("""{"hang":true}""", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Delete, "_emulator/faults", r => r.Headers.TryAddWithoutValidation("X-Secretary-Admin", "1")));

        // The foreign Origin is refused even with everything else right.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Post, "_emulator/faults", r =>
        {
            r.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
            r.Headers.TryAddWithoutValidation("X-Secretary-Admin", "1");
            r.Content = new StringContent("""{"hang":true}""", Encoding.UTF8, "application/json");
        }));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(emulator, HttpMethod.Get, "_emulator/requests", r => r.Headers.TryAddWithoutValidation("Origin", "null")));

        Assert.Equal("v", (await emulator.Client.OkAsync("GetSecretValue", Obj(("SecretId", "kept")))).Str("SecretString"));
        Assert.False(emulator.Server.CurrentFaults.Hang);
    }

    [Fact]
    public async Task AdminCallWithJsonAndHeader_FromALoopbackOrigin_IsServed()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "gone"), ("SecretString", "v")));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(emulator, HttpMethod.Post, "_emulator/reset", r =>
        {
            r.Headers.TryAddWithoutValidation("Origin", "http://localhost:3000");
            r.Headers.TryAddWithoutValidation("X-Secretary-Admin", "1");
            r.Content = new StringContent(string.Empty, Encoding.UTF8, "application/json");
        }));
        await emulator.Client.ErrorAsync("GetSecretValue", Obj(("SecretId", "gone")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task ForeignOrigin_IsRefusedOnTheProtocolRouteToo()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Encoding.UTF8.GetBytes("{}"), afterSigning: r => r.Headers.TryAddWithoutValidation("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        Assert.Equal(0, emulator.Server.GetRequestCounts().Total);
    }
}
