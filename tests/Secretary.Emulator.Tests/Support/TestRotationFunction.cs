using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests.Support;

/// <summary>
/// A single-user rotation function served over HTTP on loopback, written the way AWS's rotation templates are: it
/// talks to the emulator with a signed client, keeps a fake "service" of user → password, and can be told to fail a step.
/// </summary>
internal sealed class TestRotationFunction : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private EmulatorClient? _client;

    private TestRotationFunction(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Gets every event received, in order (the raw JSON).</summary>
    public ConcurrentQueue<JsonObject> Events { get; } = new();

    /// <summary>Gets the fake service's users and their passwords (what setSecret changes and testSecret logs in with).</summary>
    public ConcurrentDictionary<string, string> Service { get; } = new();

    /// <summary>Gets or sets a step that fails (answered 500) until cleared.</summary>
    public string? FailStep { get; set; }

    /// <summary>Points the function at the emulator it rotates secrets of (known only once that one listens).</summary>
    public void Connect(Uri emulator) => _client = new EmulatorClient(emulator, _clock);

    private EmulatorClient Client => _client ?? throw new InvalidOperationException("Connect the function to the emulator first.");

    public static async Task<TestRotationFunction> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var function = new TestRotationFunction(app, clock);
        app.Run(function.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        function.Url = new Uri(address + "/rotate");
        return function;
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var rotationEvent = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Events.Enqueue(rotationEvent);
        var step = rotationEvent.Str("Step");
        if (step == FailStep)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync($"{step} failed on purpose");
            return;
        }

        var arn = rotationEvent.Str("SecretId");
        var token = rotationEvent.Str("ClientRequestToken");
        var ok = step switch
        {
            "createSecret" => await CreateAsync(arn, token),
            "setSecret" => await SetAsync(arn, token),
            "testSecret" => await TestAsync(arn, token),
            "finishSecret" => await FinishAsync(arn, token),
            _ => false,
        };
        context.Response.StatusCode = ok ? 200 : 500;
    }

    private async Task<JsonObject> ValueAsync(string arn, string? token, string stage)
    {
        var request = Obj(("SecretId", arn), ("VersionStage", stage));
        if (token is not null)
        {
            request["VersionId"] = token;
        }

        return JsonNode.Parse((await Client.OkAsync("GetSecretValue", request)).Str("SecretString"))!.AsObject();
    }

    private async Task<bool> CreateAsync(string arn, string token)
    {
        var current = await ValueAsync(arn, null, "AWSCURRENT");
        var existing = await Client.CallAsync("GetSecretValue", Obj(("SecretId", arn), ("VersionId", token), ("VersionStage", "AWSPENDING")));
        if (existing.Status == HttpStatusCode.OK)
        {
            return true;
        }

        current["password"] = (await Client.OkAsync("GetRandomPassword", Obj(("ExcludeCharacters", "/@\"'\\")))).Str("RandomPassword");
        await Client.OkAsync("PutSecretValue", Obj(("SecretId", arn), ("ClientRequestToken", token), ("SecretString", current.ToJsonString()), ("VersionStages", Array("AWSPENDING"))));
        return true;
    }

    private async Task<bool> SetAsync(string arn, string token)
    {
        var pending = await ValueAsync(arn, token, "AWSPENDING");
        var current = await ValueAsync(arn, null, "AWSCURRENT");
        var user = pending.Str("username");
        if (Service.TryGetValue(user, out var password) && password != current.Str("password") && password != pending.Str("password"))
        {
            return false;
        }

        Service[user] = pending.Str("password");
        return true;
    }

    private async Task<bool> TestAsync(string arn, string token)
    {
        var pending = await ValueAsync(arn, token, "AWSPENDING");
        return Service.TryGetValue(pending.Str("username"), out var password) && password == pending.Str("password");
    }

    private async Task<bool> FinishAsync(string arn, string token)
    {
        var described = await Client.OkAsync("DescribeSecret", Obj(("SecretId", arn)));
        var current = described["VersionIdsToStages"]!.AsObject().First(p => p.Value!.AsArray().Any(s => s!.GetValue<string>() == "AWSCURRENT")).Key;
        if (current != token)
        {
            await Client.OkAsync("UpdateSecretVersionStage", Obj(("SecretId", arn), ("VersionStage", "AWSCURRENT"), ("MoveToVersionId", token), ("RemoveFromVersionId", current)));
        }

        return true;
    }
}
