using System.Net;
using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class AdminApiTests
{
    private static async Task<JsonObject> GetJsonAsync(EmulatorFixture emulator, string path)
    {
        using var response = await emulator.Client.Http.GetAsync(new Uri(emulator.Server.Endpoint, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task Requests_CountsEveryCallPerOperation_IncludingFailures()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        var client = emulator.Client;
        await client.OkAsync("CreateSecret", Obj(("Name", "demo"), ("SecretString", "v")));
        await client.OkAsync("GetSecretValue", Obj(("SecretId", "demo")));
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "nope")), "ResourceNotFoundException");
        client.SecretKey = "wrong";
        await client.ErrorAsync("GetSecretValue", Obj(("SecretId", "demo")), "InvalidSignatureException", HttpStatusCode.Forbidden);

        var counts = await GetJsonAsync(emulator, "_emulator/requests");
        Assert.Equal(4, counts["total"]!.GetValue<long>());
        Assert.Equal(1, counts["operations"]!["CreateSecret"]!.GetValue<long>());
        Assert.Equal(3, counts["operations"]!["GetSecretValue"]!.GetValue<long>());
        Assert.Equal(2, counts["operations"]!.AsObject().Count);
        Assert.Equal(2, counts["failed"]!.GetValue<long>());
        Assert.Equal(0, counts["faulted"]!.GetValue<long>());

        using (var reset = await client.AdminAsync(HttpMethod.Post, "_emulator/requests/reset"))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        counts = await GetJsonAsync(emulator, "_emulator/requests");
        Assert.Equal(0, counts["total"]!.GetValue<long>());
        Assert.Empty(counts["operations"]!.AsObject());
        Assert.Equal(0, emulator.Server.GetRequestCounts().Total);
    }

    [Fact]
    public async Task Reset_ForgetsSecretsCountsAndFaults()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "demo"), ("SecretString", "v")));
        emulator.Server.SetFaults(new EmulatorFaults { Operations = { ["ListSecrets"] = new EmulatorFaultRule { LatencyMs = 1 } } });
        Assert.Equal(1, (await GetJsonAsync(emulator, "_emulator/health"))["secrets"]!.GetValue<int>());

        using (var reset = await emulator.Client.AdminAsync(HttpMethod.Post, "_emulator/reset"))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        Assert.Equal(0, emulator.Server.GetRequestCounts().Total);
        Assert.Empty((await GetJsonAsync(emulator, "_emulator/faults"))["operations"]!.AsObject());
        await emulator.Client.ErrorAsync("GetSecretValue", Obj(("SecretId", "demo")), "ResourceNotFoundException");
    }

    [Fact]
    public async Task UnknownPathAndWrongMethod_Are404And405_AndAdminCallsAreNotCounted()
    {
        await using var emulator = await EmulatorFixture.StartAsync();
        using (var missing = await emulator.Client.Http.GetAsync(new Uri(emulator.Server.Endpoint, "_emulator/nothing")))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var wrong = await emulator.Client.AdminAsync(HttpMethod.Delete, "_emulator/requests"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        }

        Assert.Equal(0, emulator.Server.GetRequestCounts().Total);
    }
}
