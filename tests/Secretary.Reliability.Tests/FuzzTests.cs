using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Agent;
using Secretary.Emulator;
using Xunit.Abstractions;

namespace Secretary.Reliability.Tests;

/// <summary>
/// Generated and mutated requests (seeded, bounded, reproducible) against the agent's request handling and the
/// emulator's request parsing, over real HTTP. No 5xx for a client mistake; every refused request a 4xx in the
/// service's error shape ({"__type","message"}), or for the agent's own refusals one line of plain text as the AWS
/// agent writes them; the server keeps serving; no canary in any log line.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    internal const int AgentInputs = 2500;
    internal const int AgentRawInputs = 400;
    internal const int AgentWarmBodies = 300;
    internal const int EmulatorInputs = 2500;
    private const string Token = "fuzz-token-0123456789abcdef";
    /// <summary>Mutated emulator bodies keep invalid UTF-8 (it was a 500 once; now a 400 SerializationException).</summary>
    private const bool EmulatorInvalidUtf8 = true;

    /// <summary>Mutated warm bodies keep invalid UTF-8 (it was a 500 once; now a 400).</summary>
    private const bool AgentInvalidUtf8 = true;

    private static readonly UriCreationOptions RawUri = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private static readonly string[] Methods = ["GET", "GET", "GET", "GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"];
    private static readonly string[] Routes =
    [
        "/secretsmanager/get", "/secretsmanager/get", "/v1/", "/v1/app/db", "/v1/app%2Fdb", "/ping", "/healthz", "/readyz",
        "/secrets-cache-stats", "/secrets-cache/clear", "/secrets-cache/warm", "/metrics", "/", "/v2/x", "/secretsmanager",
    ];

    private static readonly string[] QueryKeys = ["secretId", "secretId", "versionId", "versionStage", "refreshNow", "SecretId", "unknown", ""];

    private static readonly string[] Operations =
    [
        "GetSecretValue", "BatchGetSecretValue", "CreateSecret", "PutSecretValue", "DescribeSecret", "ListSecrets", "ListSecretVersionIds",
        "UpdateSecret", "UpdateSecretVersionStage", "DeleteSecret", "RestoreSecret", "RotateSecret", "TagResource", "UntagResource", "GetRandomPassword",
    ];

    private static readonly string[] Fields =
    [
        "SecretId", "Name", "SecretString", "SecretBinary", "VersionId", "VersionStage", "ClientRequestToken", "SecretIdList", "Filters", "MaxResults",
        "NextToken", "Description", "KmsKeyId", "Tags", "TagKeys", "RemoveFromVersionId", "MoveToVersionId", "RecoveryWindowInDays",
        "ForceDeleteWithoutRecovery", "RotationRules", "RotateImmediately", "RotationLambdaARN", "IncludeDeprecated", "IncludePlannedDeletion",
        "SortOrder", "VersionStages", "PasswordLength", "ExcludeCharacters", "ExcludeNumbers", "IncludeSpace", "AddReplicaRegions",
        "ForceOverwriteReplicaSecret", "RequireEachIncludedType",
    ];

    [Fact]
    public async Task The_agent_answers_every_generated_request_with_a_4xx_in_its_error_shape_or_a_success_and_keeps_serving()
    {
        var directory = Directory.CreateTempSubdirectory("secretary-fuzz-").FullName;
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        var store = new FakeSecretStore();
        store.Set("app/db", Canary.Json);
        store.Set("app/db", Canary.Json);
        store.Set("a", Canary.Value);
        var logs = new FakeLogCollector();
        var options = new SecretaryAgentOptions { HttpPort = 0, TokenFile = tokenFile, Store = "fake", LogLevel = "debug", RequiredSecrets = ["app/db"] };
        await using var host = await SecretaryAgentHost.StartAsync(options, store, l => l.AddProvider(new FakeLoggerProvider(logs)), new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));
        using var client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };
        var random = new Random(20261125);
        var statuses = new Dictionary<int, int>();
        var problems = new List<string>();

        for (var i = 0; i < AgentInputs; i++)
        {
            var method = Methods[random.Next(Methods.Length)];
            var target = Target(random);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(host.Address + target.TrimStart('/'), in RawUri));
            var tokenChoice = random.Next(12);
            if (tokenChoice < 8)
            {
                request.Headers.TryAddWithoutValidation(tokenChoice < 6 ? "X-Aws-Parameters-Secrets-Token" : "X-Vault-Token", Token);
            }
            else if (tokenChoice == 8)
            {
                request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", [Token, Token]);
            }
            else if (tokenChoice == 9)
            {
                request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", Ascii(FuzzText.Junk(random)));
            }

            if (random.Next(15) == 0)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", "10.0.0.1");
            }

            if (random.Next(10) == 0)
            {
                request.Headers.TryAddWithoutValidation("X-" + random.Next(1000), Ascii(FuzzText.Junk(random, 20)));
            }

            if (method is "POST" or "PUT" or "PATCH")
            {
                var body = random.Next(3) == 0
                    ? FuzzText.Mutate(random, """{"secret_ids":["app/db","a"]}"""u8.ToArray())
                    : Encoding.UTF8.GetBytes(random.Next(2) == 0 ? FuzzText.Junk(random) : $$"""{"secret_ids":["{{JsonEncodedText.Encode(FuzzText.Junk(random))}}"]}""");
                request.Content = new ByteArrayContent(Utf8(body, AgentInvalidUtf8));
                request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(2) == 0 ? "application/json" : Ascii(FuzzText.Junk(random)));
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Canary.AssertAbsent(status == 200 && text.Contains("SecretString", StringComparison.Ordinal) ? [] : [text]);
            // Refused by Kestrel before the agent sees them, with an empty body: a request line past its limit (414),
            // a path that decodes to a NUL character (400).
            var kestrelLimit = target.Length > 8000 || target.Split('?')[0].Contains("%00", StringComparison.Ordinal);
            Check(problems, $"{method} {Shorten(target)}", status, method == "HEAD" ? null : text, response.Content.Headers.ContentType?.MediaType, kestrelLimit, agent: true);
        }

        // The one route with a body: mutated JSON, invalid UTF-8 included.
        for (var i = 0; i < AgentWarmBodies; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "secrets-cache/warm")
            {
                Content = new ByteArrayContent(Utf8(FuzzText.Mutate(random, """{"secret_ids":["app/db","a"]}"""u8.ToArray()), AgentInvalidUtf8)),
            };
            request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", Token);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Check(problems, "POST /secrets-cache/warm (mutated body)", status, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType, false, agent: true);
        }

        // Raw bytes: request lines and headers no HTTP client would send.
        var rawStatuses = new Dictionary<string, int>();
        for (var i = 0; i < AgentRawInputs; i++)
        {
            var line = $"{Methods[random.Next(Methods.Length)]} {Target(random)} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Aws-Parameters-Secrets-Token: {Token}\r\nConnection: close\r\n\r\n";
            var bytes = random.Next(2) == 0 ? FuzzText.Mutate(random, Encoding.UTF8.GetBytes(line)) : Encoding.UTF8.GetBytes(line);
            (int? status, string raw) = await RawHttp.SendAsync(host.Address, bytes);
            rawStatuses[status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed"] = rawStatuses.GetValueOrDefault(status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "closed") + 1;
            // 505 is HTTP's own answer to a mangled protocol version, from Kestrel before the agent is involved.
            var versionMangled = !Encoding.UTF8.GetString(bytes).Contains(" HTTP/1.1\r\n", StringComparison.Ordinal);
            if (status >= 500 && !(status == 505 && versionMangled))
            {
                problems.Add($"raw {Shorten(Encoding.UTF8.GetString(bytes))}: {status} {Shorten(raw)}");
            }
        }

        using var ping = await client.GetAsync("ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        using var read = new HttpRequestMessage(HttpMethod.Get, "secretsmanager/get?secretId=app/db");
        read.Headers.Add("X-Aws-Parameters-Secrets-Token", Token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
        Canary.AssertAbsent(logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
        output.WriteLine($"agent: {AgentInputs} generated requests and {AgentWarmBodies} mutated warm bodies, statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}");
        output.WriteLine($"agent: {AgentRawInputs} raw requests, statuses {string.Join(", ", rawStatuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}");
        Assert.True(problems.Count == 0, $"{problems.Count} bad answers:\n{string.Join("\n", problems.Take(20))}");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_emulator_answers_every_generated_request_with_a_4xx_in_its_error_shape_or_a_success_and_keeps_serving()
    {
        await using var emulator = await LocalRegion.StartAsync();
        emulator.PutSecret("app/db", Canary.Json);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var host = $"{emulator.Endpoint.Host}:{emulator.Endpoint.Port}";
        var random = new Random(17102017);
        var statuses = new Dictionary<int, int>();
        var problems = new List<string>();

        for (var i = 0; i < EmulatorInputs; i++)
        {
            var operation = Operations[random.Next(Operations.Length)];
            var target = random.Next(10) switch
            {
                0 => Ascii(FuzzText.Junk(random)),
                1 => "secretsmanager." + operation.ToLowerInvariant(),
                2 => "secretsmanager." + Ascii(FuzzText.Junk(random)),
                _ => "secretsmanager." + operation,
            };
            var body = Body(random);
            var path = random.Next(12) == 0 ? "/" + Uri.EscapeDataString(FuzzText.Junk(random)) : "/";
            var method = random.Next(12) == 0 ? Methods[random.Next(Methods.Length)] : "POST";
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(emulator.Endpoint, path));
            var date = SigV4.Now();
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            var signature = random.Next(10);
            var authorization = SigV4.Authorization(host, date, target, body);
            switch (signature)
            {
                case 0: authorization = null; break;
                case 1: authorization = Ascii(FuzzText.Junk(random)); break;
                case 2: authorization = Encoding.ASCII.GetString(FuzzText.Mutate(random, Encoding.ASCII.GetBytes(authorization))).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal); break;
                case 3: authorization = SigV4.Authorization(host, date, target, body, region: random.Next(2) == 0 ? "moon-1" : "us-west-2", accessKey: random.Next(2) == 0 ? "AKIDEXAMPLE" : "test", service: random.Next(2) == 0 ? "s3" : "secretsmanager"); break;
                case 4: date = random.Next(2) == 0 ? "20200101T000000Z" : Ascii(FuzzText.Junk(random)); break;
                case 5: request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", random.Next(2) == 0 ? "UNSIGNED-PAYLOAD" : new string('0', 64)); break;
                default: break;
            }

            request.Headers.TryAddWithoutValidation("X-Amz-Date", Ascii(date));
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", Ascii(authorization));
            }

            if (method != "GET" && method != "HEAD" && method != "TRACE")
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(8) switch
                {
                    0 => Ascii(FuzzText.Junk(random)),
                    1 => "application/json",
                    2 => "text/plain",
                    _ => "application/x-amz-json-1.1",
                });
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            Check(problems, $"{method} {path} {target} {Shorten(Encoding.UTF8.GetString(body))}", status, method == "HEAD" ? null : text, response.Content.Headers.ContentType?.MediaType, false);
        }

        // Still serving: a proper signed read works.
        emulator.PutSecret("final/check", "x"); // the fuzzer may have deleted app/db
        var okBody = """{"SecretId":"final/check"}"""u8.ToArray();
        using var check = new HttpRequestMessage(HttpMethod.Post, emulator.Endpoint) { Content = new ByteArrayContent(okBody) };
        var now = SigV4.Now();
        check.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        check.Headers.TryAddWithoutValidation("X-Amz-Date", now);
        check.Headers.TryAddWithoutValidation("Authorization", SigV4.Authorization(host, now, "secretsmanager.GetSecretValue", okBody));
        check.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(check)).StatusCode);
        output.WriteLine($"emulator: {EmulatorInputs} generated requests, statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}");
        Assert.True(problems.Count == 0, $"{problems.Count} bad answers:\n{string.Join("\n", problems.Take(20))}");
    }

    private static void Check(List<string> problems, string input, int status, string? body, string? mediaType, bool transportLimit, bool agent = false)
    {
        if (status >= 500)
        {
            problems.Add($"{input}: {status} {Shorten(body ?? string.Empty)}");
            return;
        }

        if (status < 400 || body is null || (transportLimit && mediaType is not ("application/json" or "text/plain")))
        {
            return;
        }

        // The agent answers its own refusals in the AWS agent's plain text ("Bad Token", "unknown parameter: x", ...).
        if (mediaType == "text/plain")
        {
            // "unknown parameter: X" names X as sent, as the AWS agent does (only callers with the token get that far).
            var echoed = body.StartsWith("unknown parameter: ", StringComparison.Ordinal);
            if (!AgentRefusals.Any(r => body.StartsWith(r, StringComparison.Ordinal)) || (!echoed && (body.Length > 300 || body.Any(char.IsControl))))
            {
                problems.Add($"{input}: {status} plain text that is no agent refusal: {Shorten(body)}");
            }

            return;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("__type", out var type) || type.ValueKind != JsonValueKind.String
                || !json.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{input}: {status} without the error shape: {Shorten(body)}");
            }
        }
        catch (JsonException)
        {
            problems.Add($"{input}: {status} not JSON: {Shorten(body)}");
        }
    }

    private static readonly string[] AgentRefusals =
    [
        "Bad Token", "Forwarded", "Bad Host", "Not allowed", "Not found", "Connection limit exceeded", "missing parameter secretId",
        "missing secret ID", "invalid refreshNow value", "unknown parameter: ", "Bad request", "Payload too large", "the body ",
        "a secret id is malformed", "secretId may be given once",
    ];

    private static string Target(Random random)
    {
        var route = Routes[random.Next(Routes.Length)];
        var path = random.Next(3) == 0 ? route + FuzzText.Junk(random) : route;
        if (random.Next(4) == 0)
        {
            return Escape(path);
        }

        var query = new StringBuilder();
        var pairs = random.Next(0, 4);
        for (var p = 0; p < pairs; p++)
        {
            var key = random.Next(8) == 0 ? FuzzText.Junk(random) : QueryKeys[random.Next(QueryKeys.Length)];
            var value = random.Next(3) switch
            {
                0 => random.Next(2) == 0 ? "app/db" : "a",
                1 => Uri.EscapeDataString(FuzzText.Junk(random)),
                _ => FuzzText.Junk(random),
            };
            query.Append(p == 0 ? '?' : '&').Append(Escape(key)).Append(random.Next(10) == 0 ? string.Empty : "=" + Escape(value));
        }

        return Escape(path) + query;
    }

    /// <summary>Keeps the target on one line of printable ASCII (what reaches a server), percent-encoding the rest.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is > 0x20 and < 0x7F && b != (byte)'#')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Ascii(string text) => new([.. text.Where(c => c is >= ' ' and < (char)0x7F)]);

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "...";

    private static byte[] Body(Random random)
    {
        var json = new JsonObject();
        var fields = random.Next(0, 5);
        for (var f = 0; f < fields; f++)
        {
            json[Fields[random.Next(Fields.Length)]] = Value(random, 0);
        }

        if (random.Next(3) == 0)
        {
            json["SecretId"] = random.Next(2) == 0 ? "app/db" : FuzzText.Junk(random);
        }

        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        var body = random.Next(8) switch
        {
            0 => FuzzText.Mutate(random, bytes),
            1 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 5000))),
            2 => [.. Enumerable.Range(0, random.Next(0, 64)).Select(_ => (byte)random.Next(256))],
            3 => Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "[]" : random.Next(2) == 0 ? "null" : "\"text\""),
            _ => bytes,
        };
        return Utf8(body, EmulatorInvalidUtf8);
    }

    private static byte[] Utf8(byte[] bytes, bool keepInvalid) => keepInvalid ? bytes : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));

    private static JsonNode? Value(Random random, int depth) => random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-5, 100_000)),
        2 => JsonValue.Create(random.NextDouble() * 1e300),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 or 5 => JsonValue.Create(FuzzText.Junk(random)),
        6 => new JsonArray([.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))]),
        _ => new JsonObject
        {
            [random.Next(2) == 0 ? "Key" : Fields[random.Next(Fields.Length)]] = Value(random, depth + 1),
            [random.Next(2) == 0 ? "Value" : "Values"] = Value(random, depth + 1),
        },
    };
}
