using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>Rotation through a real rotation function (HTTP on loopback): the four steps, AWS's semantics, resuming, schedules.</summary>
public sealed class RotationTests
{
    private const string Initial = """{"username":"app","password":"first-password"}""";

    private static async Task<(EmulatorFixture Emulator, TestRotationFunction Function)> StartAsync(FakeTimeProvider? clock = null)
    {
        var time = clock ?? (TimeProvider)TimeProvider.System;
        var function = await TestRotationFunction.StartAsync(time);
        var emulator = await EmulatorFixture.StartAsync(o =>
        {
            o.TimeProvider = time;
            o.RotationFunctions["single-user"] = function.Url.ToString();
        });
        function.Connect(emulator.Server.Endpoint);
        return (emulator, function);
    }

    private static Dictionary<string, string[]> Stages(JsonObject described) =>
        described["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());

    [Fact]
    public async Task AFailedSetSecret_LeavesAwsPending_AndTheNextRotateSecretResumesIt()
    {
        var (emulator, function) = await StartAsync();
        await using var _ = emulator;
        await using var __ = function;
        var client = emulator.Client;
        var v1 = (await client.OkAsync("CreateSecret", Obj(("Name", "db/app"), ("SecretString", Initial)))).Str("VersionId");
        var arn = (await client.OkAsync("DescribeSecret", Obj(("SecretId", "db/app")))).Str("ARN");
        function.Service["app"] = "first-password";
        function.FailStep = "setSecret";

        var first = await client.OkAsync("RotateSecret", Obj(
            ("SecretId", "db/app"),
            ("RotationLambdaARN", "arn:aws:lambda:us-east-1:123456789012:function:single-user"),
            ("RotationRules", new JsonObject { ["AutomaticallyAfterDays"] = 30 }),
            ("ClientRequestToken", "11111111-2222-3333-4444-555555555555")));
        var token = first.Str("VersionId");
        Assert.Equal("11111111-2222-3333-4444-555555555555", token);

        // Secrets Manager sent createSecret, then setSecret, which failed: nothing after it.
        Assert.Equal(["createSecret", "setSecret"], function.Events.Select(e => e.Str("Step")).ToArray());
        Assert.All(function.Events, e =>
        {
            Assert.Equal(arn, e.Str("SecretId"));
            Assert.Equal(token, e.Str("ClientRequestToken"));
            Assert.False(string.IsNullOrEmpty(e.Str("RotationToken")));
            Assert.Equal(["ClientRequestToken", "RotationToken", "SecretId", "Step"], e.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        });

        var failed = await client.OkAsync("DescribeSecret", Obj(("SecretId", "db/app")));
        Assert.Equal(["AWSCURRENT"], Stages(failed)[v1]);
        Assert.Equal(["AWSPENDING"], Stages(failed)[token]);
        Assert.True(failed["RotationEnabled"]!.GetValue<bool>());
        Assert.False(failed.ContainsKey("LastRotatedDate"));
        Assert.Equal("first-password", function.Service["app"]);
        var record = Assert.Single(emulator.Server.Rotations());
        Assert.False(record.Succeeded);
        Assert.Equal("setSecret", record.FailedStep);

        // The next RotateSecret (the CLI and SDKs send a fresh token) resumes the same version.
        function.FailStep = null;
        var events = function.Events.Count;
        var second = await client.OkAsync("RotateSecret", Obj(("SecretId", "db/app"), ("ClientRequestToken", "99999999-2222-3333-4444-555555555555")));
        Assert.Equal(token, second.Str("VersionId"));
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], function.Events.Skip(events).Select(e => e.Str("Step")).ToArray());
        Assert.All(function.Events.Skip(events), e => Assert.Equal(token, e.Str("ClientRequestToken")));

        var done = await client.OkAsync("DescribeSecret", Obj(("SecretId", "db/app")));
        Assert.Equal(["AWSCURRENT"], Stages(done)[token]);
        Assert.Equal(["AWSPREVIOUS"], Stages(done)[v1]);
        Assert.NotNull(done["LastRotatedDate"]);
        var nextRotation = DateTimeOffset.FromUnixTimeMilliseconds((long)(done["NextRotationDate"]!.GetValue<double>() * 1000));
        Assert.InRange(nextRotation - DateTimeOffset.FromUnixTimeMilliseconds((long)(done["LastRotatedDate"]!.GetValue<double>() * 1000)), TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        var current = JsonNode.Parse((await client.OkAsync("GetSecretValue", Obj(("SecretId", "db/app")))).Str("SecretString"))!;
        Assert.Equal(function.Service["app"], current.Str("password"));
        Assert.NotEqual("first-password", current.Str("password"));
        Assert.True(emulator.Server.Rotations()[^1].Succeeded);
    }

    [Fact]
    public async Task ScheduledRotation_RunsOnTheEmulatorsClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var (emulator, function) = await StartAsync(clock);
        await using var _ = emulator;
        await using var __ = function;
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "db/scheduled"), ("SecretString", Initial)));
        function.Service["app"] = "first-password";
        await client.OkAsync("RotateSecret", Obj(
            ("SecretId", "db/scheduled"),
            ("RotationLambdaARN", "single-user"),
            ("RotationRules", new JsonObject { ["ScheduleExpression"] = "rate(2 days)" }),
            ("RotateImmediately", false)));
        Assert.Empty(function.Events);
        var described = await client.OkAsync("DescribeSecret", Obj(("SecretId", "db/scheduled")));
        Assert.Equal(clock.GetUtcNow().AddDays(2).ToUnixTimeSeconds(), (long)described["NextRotationDate"]!.GetValue<double>());

        var rotated = new TaskCompletionSource<Internals.RotationRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        emulator.Server.RotationFinished += record => rotated.TrySetResult(record);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Empty(function.Events);
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var record = await rotated.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(record.Succeeded, record.Error);
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], function.Events.Select(e => e.Str("Step")).ToArray());
        var after = await client.OkAsync("DescribeSecret", Obj(("SecretId", "db/scheduled")));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), (long)after["LastRotatedDate"]!.GetValue<double>());
        Assert.Equal(clock.GetUtcNow().AddDays(2).ToUnixTimeSeconds(), (long)after["NextRotationDate"]!.GetValue<double>());
    }

    [Fact]
    public async Task AnUnregisteredFunction_IsRefused_AndTheBuiltInRotationStaysTheDefault()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", Initial)));
        var refused = await client.ErrorAsync("RotateSecret", Obj(("SecretId", "s"), ("RotationLambdaARN", "arn:aws:lambda:us-east-1:123456789012:function:nobody")), "AccessDeniedException");
        Assert.Contains("--rotation-function nobody=", refused.Message, StringComparison.Ordinal);
        Assert.False((await client.OkAsync("DescribeSecret", Obj(("SecretId", "s")))).ContainsKey("RotationLambdaARN"));

        var rotated = await client.OkAsync("RotateSecret", Obj(("SecretId", "s")));
        var value = JsonNode.Parse((await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("SecretString"))!;
        Assert.Equal("app", value.Str("username"));
        Assert.NotEqual("first-password", value.Str("password"));
        Assert.Equal(rotated.Str("VersionId"), (await client.OkAsync("GetSecretValue", Obj(("SecretId", "s")))).Str("VersionId"));
    }

    [Theory]
    [InlineData("rate(3 days)", "2026-03-04T12:00:00Z")]
    [InlineData("rate(6 hours)", "2026-03-01T18:00:00Z")]
    [InlineData("cron(0 16 1,15 * ? *)", "2026-03-01T16:00:00Z")]
    [InlineData("cron(0 8 ? * 2 *)", "2026-03-02T08:00:00Z")]
    [InlineData("cron(0 8 ? * MON 2027)", "2027-01-04T08:00:00Z")]
    public void ScheduleExpressions_GiveTheNextRotation_InUtc(string expression, string expected)
    {
        var from = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var rules = new JsonObject { ["ScheduleExpression"] = expression }.ToJsonString();
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Internals.RotationSchedule.Next(rules, from));
    }

    [Theory]
    [InlineData("rate(2 hours)")]
    [InlineData("every day")]
    [InlineData("cron(0 8 * *)")]
    public async Task InvalidScheduleExpressions_AreInvalidParameter(string expression)
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")));
        await emulator.Client.ErrorAsync("RotateSecret", Obj(("SecretId", "s"), ("RotationRules", new JsonObject { ["ScheduleExpression"] = expression })), "InvalidParameterException");
    }

    [Theory]
    [InlineData("bad name", "http://127.0.0.1:1/")]
    [InlineData("f", "http://example.com/")]
    [InlineData("f", "https://127.0.0.1/")]
    [InlineData("f", "cmd:/no/such/program")]
    [InlineData("f", "")]
    public async Task InvalidRotationFunctions_FailTheStart(string name, string target)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, RotationFunctions = { [name] = target } }));
        Assert.Contains("otation function", error.Message, StringComparison.Ordinal);
    }
}
