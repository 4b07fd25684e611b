using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class FaultInjectionTests
{
    private static async Task<HttpResponseMessage> PostFaultsAsync(EmulatorFixture emulator, string json) =>
        await emulator.Client.AdminAsync(HttpMethod.Post, "_emulator/faults", json);

    [Fact]
    public async Task Latency_WaitsOnTheTimeProvider_NotBeforeItsTime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        emulator.Server.SetFaults(new EmulatorFaults { Operations = { ["GetRandomPassword"] = new EmulatorFaultRule { LatencyMs = 60_000 } } });
        var delayed = emulator.Client.CallAsync("GetRandomPassword", []);
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 1, "the delayed call to arrive");

        // 59 s of emulator time: a call without the fault makes its whole round trip while the delayed one still waits.
        clock.Advance(TimeSpan.FromSeconds(59));
        await emulator.Client.OkAsync("ListSecrets", []);
        Assert.False(delayed.IsCompleted);
        Assert.Equal(1, emulator.Server.InFlight);

        clock.Advance(TimeSpan.FromSeconds(1));
        var reply = await delayed.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Latency_HonoursRequestAbort()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorFixture.StartAsync(o => o.TimeProvider = clock);
        emulator.Server.SetFaults(new EmulatorFaults { Operations = { ["GetRandomPassword"] = new EmulatorFaultRule { LatencyMs = 600_000 } } });
        using var cts = new CancellationTokenSource();
        var call = emulator.Client.CallAsync("GetRandomPassword", [], cts.Token);
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 1, "the call to arrive");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // The fake clock never moved: only the abort can have ended the server-side delay.
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 0, "the delayed call to end on abort");
        Assert.Equal(1, emulator.Server.GetRequestCounts().For("GetRandomPassword"));
    }

    [Fact]
    public async Task Hang_NeverAnswers_UntilAbort_AndStopEndsHungCalls()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Server.SetFaults(new EmulatorFaults { Hang = true });
        using var cts = new CancellationTokenSource();
        var aborted = emulator.Client.CallAsync("GetRandomPassword", [], cts.Token);
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 1, "the first call to hang");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted);
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 0, "the hung call to end on abort");

        var hung = emulator.Client.CallAsync("ListSecrets", []);
        await Eventually.TrueAsync(() => emulator.Server.InFlight == 1, "the second call to arrive");

        // Stopping ends the hung call; the generous bound only guards against a hang, it measures nothing.
        await emulator.Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var ended = await Record.ExceptionAsync(() => hung.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.NotNull(ended);
        Assert.IsNotType<TimeoutException>(ended);
        Assert.Equal(0, emulator.Server.InFlight);
        Assert.Equal(2, emulator.Server.GetRequestCounts().Faulted);
    }

    [Fact]
    public async Task DropConnection_AbortsWithoutResponse_AndIsCounted()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using (var set = await PostFaultsAsync(emulator, """{"dropConnection": true}"""))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.Client.CallAsync("GetSecretValue", Obj(("SecretId", "x"))));
        var counts = emulator.Server.GetRequestCounts();
        Assert.Equal(1, counts.For("GetSecretValue"));
        Assert.Equal(1, counts.Faulted);
    }

    [Fact]
    public async Task Outage_Answers503ForEveryCall_EvenBeforeSignatureChecks()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using (await PostFaultsAsync(emulator, """{"outage": true}"""))
        {
        }

        await emulator.Client.ErrorAsync("ListSecrets", [], "ServiceUnavailable", HttpStatusCode.ServiceUnavailable);
        await emulator.Client.ErrorAsync("CreateSecret", Obj(("Name", "x"), ("SecretString", "y")), "ServiceUnavailable", HttpStatusCode.ServiceUnavailable);
        emulator.Client.SecretKey = "wrong";
        await emulator.Client.ErrorAsync("ListSecrets", [], "ServiceUnavailable", HttpStatusCode.ServiceUnavailable);
        emulator.Client.SecretKey = "test";

        using (var clear = await emulator.Client.AdminAsync(HttpMethod.Delete, "_emulator/faults"))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        await emulator.Client.OkAsync("ListSecrets", []);
        Assert.Equal(3, emulator.Server.GetRequestCounts().Faulted);
        await emulator.Client.ErrorAsync("DescribeSecret", Obj(("SecretId", "x")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task Throttle_IsThrottlingException400()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Server.SetFaults(new EmulatorFaults { Throttle = true });
        var reply = await emulator.Client.ErrorAsync("GetSecretValue", Obj(("SecretId", "x")), "ThrottlingException");
        Assert.Equal("Rate exceeded", reply.Message);
    }

    [Theory]
    [InlineData("InternalServiceError", HttpStatusCode.InternalServerError)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest)]
    [InlineData("DecryptionFailure", HttpStatusCode.BadRequest)]
    [InlineData(null, HttpStatusCode.InternalServerError)]
    public async Task ErrorRateOne_AlwaysFails_WithTheChosenType(string? errorType, HttpStatusCode status)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        emulator.Server.SetFaults(new EmulatorFaults { ErrorRate = 1, ErrorType = errorType });
        for (var i = 0; i < 3; i++)
        {
            await emulator.Client.ErrorAsync("GetRandomPassword", [], errorType ?? "InternalServiceError", status);
        }
    }

    [Fact]
    public async Task ErrorRateHalf_FailsAboutHalf_ReproduciblyWithASeed()
    {
        async Task<int> FailuresAsync()
        {
            await using var emulator = await EmulatorFixture.StartAsync();
            emulator.Server.SetFaults(new EmulatorFaults { ErrorRate = 0.5, RandomSeed = 42 });
            var failures = 0;
            for (var i = 0; i < 100; i++)
            {
                var reply = await emulator.Client.CallAsync("GetRandomPassword", []);
                failures += reply.Status == HttpStatusCode.OK ? 0 : 1;
            }

            Assert.Equal(failures, emulator.Server.GetRequestCounts().Faulted);
            return failures;
        }

        var first = await FailuresAsync();
        Assert.InRange(first, 30, 70);
        Assert.Equal(first, await FailuresAsync());
    }

    [Fact]
    public async Task PerOperationRule_ReplacesTheGlobalRule()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using (var set = await PostFaultsAsync(emulator, """{"outage": true, "operations": {"GetRandomPassword": {}, "DescribeSecret": {"throttle": true}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            var echoed = await set.Content.ReadFromJsonAsync<EmulatorFaults>();
            Assert.True(echoed!.Outage);
            Assert.True(echoed.Operations["DescribeSecret"].Throttle);
        }

        await emulator.Client.OkAsync("GetRandomPassword", []);
        await emulator.Client.ErrorAsync("DescribeSecret", Obj(("SecretId", "x")), "ThrottlingException");
        await emulator.Client.ErrorAsync("ListSecrets", [], "ServiceUnavailable", HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("""{"errorRate": 2}""")]
    [InlineData("""{"latencyMs": -1}""")]
    [InlineData("""{"errorType": "Nope"}""")]
    [InlineData("""{"operations": {"NoSuchOperation": {"throttle": true}}}""")]
    [InlineData("""{"surprise": true}""")]
    [InlineData("""not json""")]
    public async Task InvalidFaultDocument_Is400_AndChangesNothing(string json)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using var response = await PostFaultsAsync(emulator, json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await emulator.Client.OkAsync("GetRandomPassword", []);
    }

    [Fact]
    public async Task SetFaults_InProcess_ValidatesAndClears()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        Assert.Throws<ArgumentException>(() => emulator.Server.SetFaults(new EmulatorFaults { ErrorRate = 1.5 }));
        await emulator.Client.OkAsync("GetRandomPassword", []);
        emulator.Server.SetFaults(new EmulatorFaults { Outage = true });
        await emulator.Client.ErrorAsync("GetRandomPassword", [], "ServiceUnavailable", HttpStatusCode.ServiceUnavailable);
        emulator.Server.ClearFaults();
        await emulator.Client.OkAsync("GetRandomPassword", []);
    }
}
