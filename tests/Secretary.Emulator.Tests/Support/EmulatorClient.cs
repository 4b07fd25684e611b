using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Secretary.Emulator.Tests.Support;

/// <summary>A minimal awsJson1_1 client for the emulator: signs with <see cref="SigV4"/>, returns status and JSON.</summary>
internal sealed class EmulatorClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public EmulatorClient(Uri endpoint, TimeProvider? clock = null)
    {
        _endpoint = endpoint;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Clock = clock ?? TimeProvider.System;
    }

    public TimeProvider Clock { get; set; }

    public string AccessKey { get; set; } = "test";

    public string SecretKey { get; set; } = "test";

    public string Region { get; set; } = "us-east-1";

    public HttpClient Http => _http;

    public async Task<Reply> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken = default) =>
        await SendAsync(operation, Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken: cancellationToken);

    /// <summary>Calls and asserts a 200; returns the body.</summary>
    public async Task<JsonObject> OkAsync(string operation, JsonObject body)
    {
        var reply = await CallAsync(operation, body);
        Assert.True(reply.Status == HttpStatusCode.OK, $"{operation} answered {(int)reply.Status}: {reply.Text}");
        return reply.Json!;
    }

    /// <summary>Calls and asserts an error of <paramref name="type"/> with <paramref name="status"/>.</summary>
    public async Task<Reply> ErrorAsync(string operation, JsonObject body, string type, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var reply = await CallAsync(operation, body);
        Assert.True(reply.Status == status && reply.ErrorType == type, $"{operation}: expected {(int)status} {type}, got {(int)reply.Status}: {reply.Text}");
        return reply;
    }

    public async Task<Reply> SendAsync(
        string? operation,
        byte[] body,
        string contentType = "application/x-amz-json-1.1",
        bool sign = true,
        Action<HttpRequestMessage>? afterSigning = null,
        CancellationToken cancellationToken = default,
        string service = "secretsmanager")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        if (operation is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        }

        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (sign)
        {
            SigV4.Sign(request, body, AccessKey, SecretKey, Region, Clock.GetUtcNow(), service);
        }

        afterSigning?.Invoke(request);
        using var response = await _http.SendAsync(request, cancellationToken);
        return await Reply.ReadAsync(response, cancellationToken);
    }

    /// <summary>Sends an STS Query-protocol call (form body), signed for <paramref name="service"/>; returns status and XML text.</summary>
    public async Task<(HttpStatusCode Status, System.Xml.Linq.XElement Xml, string? ContentType)> StsAsync(string form, string service = "sts")
    {
        var reply = await SendAsync(null, Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", service: service);
        return (reply.Status, System.Xml.Linq.XElement.Parse(reply.Text), reply.ContentType);
    }

    /// <summary>Calls the admin API as a test or script would: JSON content type and the admin header.</summary>
    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_endpoint, path));
        request.Headers.TryAddWithoutValidation("X-Secretary-Admin", "1");
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(json ?? string.Empty, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Reply(HttpStatusCode Status, string Text, JsonObject? Json, string? ContentType, string? ErrorHeader)
    {
        public string? ErrorType => Json?["__type"]?.GetValue<string>();

        public string? Message => Json?["message"]?.GetValue<string>();

        public static async Task<Reply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? json = null;
            try
            {
                json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            }
            catch (System.Text.Json.JsonException)
            {
            }

            response.Headers.TryGetValues("x-amzn-ErrorType", out var errorHeader);
            return new Reply(response.StatusCode, text, json, response.Content.Headers.ContentType?.MediaType, errorHeader?.FirstOrDefault());
        }
    }
}
