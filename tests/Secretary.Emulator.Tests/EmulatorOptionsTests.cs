using System.Net;

namespace Secretary.Emulator.Tests;

public sealed class EmulatorOptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new EmulatorOptions();
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(4566, options.Port);
        Assert.Null(options.SeedFile);
        Assert.Null(options.DataFile);
        Assert.Equal("test", options.AccessKey);
        Assert.Equal("test", options.SecretKey);
        Assert.Equal("us-east-1", options.DefaultRegion);
        Assert.Equal("123456789012", options.AccountId);
        Assert.Equal(TimeSpan.FromMinutes(15), options.MaxClockSkew);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    public static TheoryData<string, Action<EmulatorOptions>> InvalidOptions => new()
    {
        { "Host", o => o.Host = "0.0.0.0" },
        { "Port", o => o.Port = 70000 },
        { "Port", o => o.Port = -1 },
        { "AccessKey", o => o.AccessKey = "" },
        { "SecretKey", o => o.SecretKey = "" },
        { "DefaultRegion", o => o.DefaultRegion = "nowhere" },
        { "AccountId", o => o.AccountId = "12345" },
        { "MaxClockSkew", o => o.MaxClockSkew = TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task StartAsync_RefusesInvalidOptions_NamingTheProblem(string property, Action<EmulatorOptions> change)
    {
        var options = new EmulatorOptions { Port = 0 };
        change(options);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(options));
        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ReportsEveryProblemAtOnce()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = -5, AccessKey = "", AccountId = "x" }));
        Assert.Contains("Port", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccessKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccountId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_AreCopied_AndPortZeroPicksAFreeLoopbackPort()
    {
        var options = new EmulatorOptions { Port = 0 };
        await using var server = await EmulatorServer.StartAsync(options);
        options.SecretKey = "changed-after-start";
        Assert.NotEqual(0, server.Port);
        Assert.Equal(new Uri($"http://127.0.0.1:{server.Port}/"), server.Endpoint);
        using var client = new Support.EmulatorClient(server.Endpoint);
        var reply = await client.CallAsync("GetRandomPassword", []);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task StartAsync_OnAPortInUse_Throws()
    {
        await using var first = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 });
        await Assert.ThrowsAnyAsync<IOException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = first.Port }));
    }
}
