using System.Net;
using System.Text;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class BadInputTests
{
    private static async Task AssertStillServesAsync(EmulatorFixture emulator)
    {
        var password = await emulator.Client.OkAsync("GetRandomPassword", []);
        Assert.NotEmpty(password.Str("RandomPassword"));
    }

    [Theory]
    [InlineData("{not json", "SerializationException")]
    [InlineData("[1,2]", "SerializationException")]
    [InlineData("{\"SecretId\": 42}", "SerializationException")]
    [InlineData("{\"SecretId\": \"x\", \"Bogus\": 1}", "InvalidParameterException")]
    [InlineData("{}", "ValidationException")]
    public async Task MalformedOrInvalidBody_IsA400_InTheServiceErrorShape(string body, string type)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetSecretValue", Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(type, reply.ErrorType);
        Assert.Equal(type, reply.ErrorHeader);
        Assert.Equal("application/x-amz-json-1.1", reply.ContentType);
        Assert.False(string.IsNullOrEmpty(reply.Message));
        await AssertStillServesAsync(emulator);
    }

    [Fact]
    public async Task WrongContentType_IsSerializationException()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync("GetRandomPassword", Encoding.UTF8.GetBytes("{}"), contentType: "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("SerializationException", reply.ErrorType);
        await AssertStillServesAsync(emulator);
    }

    [Theory]
    [InlineData("DoSomethingElse")]
    [InlineData(null)]
    public async Task UnknownOrMissingTarget_IsUnknownOperation_CountedAsUnknown(string? operation)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var reply = await emulator.Client.SendAsync(operation, Encoding.UTF8.GetBytes("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("UnknownOperationException", reply.ErrorType);
        Assert.Equal(1, emulator.Server.GetRequestCounts().For("Unknown"));
        await AssertStillServesAsync(emulator);
    }

    [Fact]
    public async Task OversizedBody_Is413_AndTheEmulatorKeepsServing()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var body = Encoding.UTF8.GetBytes("{\"Name\":\"big\",\"SecretString\":\"" + new string('x', 300 * 1024) + "\"}");
        var reply = await emulator.Client.SendAsync("CreateSecret", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("RequestEntityTooLargeException", reply.ErrorType);
        await AssertStillServesAsync(emulator);
    }

    [Fact]
    public async Task GetOrOtherPath_IsNotServed()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var response = await emulator.Client.Http.GetAsync(emulator.Server.Endpoint);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("UnknownOperationException", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertStillServesAsync(emulator);
    }

    [Fact]
    public async Task ErrorMessages_NeverCarryTheSecretValue()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        const string Value = "super-secret-value-123";
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", Value), ("ClientRequestToken", new string('t', 32))));
        var replies = new[]
        {
            await emulator.Client.CallAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", Value + "x"), ("ClientRequestToken", new string('t', 32)))),
            await emulator.Client.CallAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", Value))),
            await emulator.Client.CallAsync("PutSecretValue", Obj(("SecretId", "s"), ("SecretString", Value), ("Extra", Value))),
            await emulator.Client.CallAsync("CreateSecret", Obj(("Name", "t"), ("SecretString", Value), ("SecretBinary", "AA=="))),
        };
        Assert.All(replies, r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.Status);
            Assert.DoesNotContain(Value, r.Text, StringComparison.Ordinal);
        });
    }
}
