using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Secretary.Testing;

namespace Secretary.Databases.Testing;

/// <summary>The few Secrets Manager calls the database tests make (create, put, stage, rotate), signed like the SDKs.</summary>
public sealed class SecretsManagerClient(Uri endpoint) : IDisposable
{
    public const string Region = "us-east-1";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public Uri Endpoint { get; } = endpoint;

    public async Task<JsonObject> CallAsync(string operation, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(bytes) };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        SigV4.Sign(request, bytes, "test", "test", Region, TimeProvider.System.GetUtcNow());
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"{operation} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>Creates a secret; returns its ARN.</summary>
    public async Task<string> CreateSecretAsync(string name, string value) =>
        (string)(await CallAsync("CreateSecret", new JsonObject { ["Name"] = name, ["SecretString"] = value }))["ARN"]!;

    /// <summary>Puts a version with the given labels; returns its version id.</summary>
    public async Task<string> PutSecretValueAsync(string secretId, string value, params string[] stages) =>
        (string)(await CallAsync("PutSecretValue", new JsonObject
        {
            ["SecretId"] = secretId,
            ["SecretString"] = value,
            ["VersionStages"] = new JsonArray([.. stages.Select(s => JsonValue.Create(s))]),
        }))["VersionId"]!;

    public Task MoveCurrentAsync(string secretId, string toVersionId, string fromVersionId) =>
        CallAsync("UpdateSecretVersionStage", new JsonObject
        {
            ["SecretId"] = secretId,
            ["VersionStage"] = "AWSCURRENT",
            ["MoveToVersionId"] = toVersionId,
            ["RemoveFromVersionId"] = fromVersionId,
        });

    public async Task<(string VersionId, JsonObject Value)> GetAsync(string secretId, string stage = "AWSCURRENT")
    {
        var reply = await CallAsync("GetSecretValue", new JsonObject { ["SecretId"] = secretId, ["VersionStage"] = stage });
        return ((string)reply["VersionId"]!, JsonNode.Parse((string)reply["SecretString"]!)!.AsObject());
    }

    /// <summary>
    /// Rotates through the emulator's rotation function <paramref name="function"/> (the steps run before it answers);
    /// returns the new version id. The rotation may have failed: compare with the AWSCURRENT version.
    /// </summary>
    public async Task<string> RotateAsync(string secretId, string function) =>
        (string)(await CallAsync("RotateSecret", new JsonObject { ["SecretId"] = secretId, ["RotationLambdaARN"] = function }))["VersionId"]!;

    public void Dispose() => _http.Dispose();
}
