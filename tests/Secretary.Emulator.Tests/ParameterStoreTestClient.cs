using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;

namespace Secretary.Emulator.Tests;

/// <summary>Parameter Store calls to the emulator: target <c>AmazonSSM.OP</c>, signed for the service <c>ssm</c>.</summary>
internal sealed class ParameterStoreTestClient(EmulatorClient client, Uri endpoint)
{
    public async Task<EmulatorClient.Reply> CallAsync(string operation, JsonObject body, string? target = null, string service = "ssm")
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target ?? "AmazonSSM." + operation);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        SigV4.Sign(request, bytes, client.AccessKey, client.SecretKey, client.Region, client.Clock.GetUtcNow(), service);
        using var response = await client.Http.SendAsync(request);
        return await EmulatorClient.Reply.ReadAsync(response, default);
    }

    public async Task<JsonObject> OkAsync(string operation, JsonObject body)
    {
        var reply = await CallAsync(operation, body);
        Assert.True(reply.Status == HttpStatusCode.OK, $"{operation} answered {(int)reply.Status}: {reply.Text}");
        return reply.Json!;
    }

    public async Task<EmulatorClient.Reply> ErrorAsync(string operation, JsonObject body, string type, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var reply = await CallAsync(operation, body);
        Assert.True(reply.Status == status && reply.ErrorType == type, $"{operation}: expected {(int)status} {type}, got {(int)reply.Status}: {reply.Text}");
        return reply;
    }

    public Task<JsonObject> PutAsync(string name, string value, string type = "String", bool overwrite = false, string? tier = null)
    {
        var body = new JsonObject { ["Name"] = name, ["Value"] = value, ["Type"] = type };
        if (overwrite)
        {
            body["Overwrite"] = true;
        }

        if (tier is not null)
        {
            body["Tier"] = tier;
        }

        return OkAsync("PutParameter", body);
    }
}
