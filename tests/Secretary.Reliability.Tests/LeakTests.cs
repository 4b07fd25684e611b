using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Agent;
using Secretary.Emulator;

namespace Secretary.Reliability.Tests;

/// <summary>
/// Representative flows with canary secret values; every captured log line (with its structured state and exception),
/// exception message, metric tag, metrics scrape, stats document and error answer is scanned for the canary.
/// </summary>
public sealed class LeakTests
{
    private const string Token = "leak-token-0123456789abcdef";

    private sealed record Binding(int Port);

    [Fact]
    public async Task The_library_never_puts_a_secret_value_in_a_log_line_an_exception_a_metric_or_the_stats()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var store = new FakeSecretStore();
        var logs = new FakeLogCollector();
        using var meters = new TestMeterFactory();
        var texts = new List<string?>();
        var measured = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(measured, i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(measured, i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(measured, i, tags));
        listener.Start();
        using var cache = new SecretCache(store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromSeconds(60) }, time, new FakeLogger<SecretCache>(logs), meters);

        store.Set("json", Canary.Json);
        store.Set("broken", Canary.BrokenJson);
        store.Set("plain", Canary.Value);
        store.Set(Canary.Value, "a secret whose name looks like a value"); // names may appear; values may not
        await cache.GetAsync("json");
        await cache.GetValueAsync("json", "password");
        await cache.WarmAsync(["plain", "broken", "missing"]);
        texts.Add(await Record(() => cache.GetValueAsync("broken", "password").AsTask()));
        texts.Add(await Record(() => cache.GetValueAsync("plain", "password").AsTask()));
        texts.Add(await Record(() => cache.GetValueAsync("json", "nope").AsTask()));
        texts.Add(await Record(() => cache.GetAsync<int[]>("json").AsTask()));
        texts.Add(await Record(() => cache.GetAsync("missing").AsTask()));
        texts.Add(await Record(() => cache.GetAsync("missing-too").AsTask()));

        // Rotations, refreshes, a failing store serving stale, the store's own error messages.
        store.Set("json", Canary.Json.Replace("app", "app2", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(61));
        await cache.GetAsync("json");
        store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, "503 from the store");
        time.Advance(TimeSpan.FromSeconds(61));
        await cache.LookupAsync("json");
        texts.Add(await Record(() => cache.RefreshAsync("plain")));
        store.Fault = r => new InvalidOperationException("store bug");
        time.Advance(TimeSpan.FromSeconds(61));
        texts.Add(await Record(() => cache.RefreshAsync("broken")));
        await cache.IdleAsync();
        cache.Clear("json");
        cache.Clear();

        texts.Add(cache.GetStats().ToJson());
        texts.AddRange(logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception} {string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])}"));
        Assert.True(logs.GetSnapshot().Count >= 5);

        // The scan saw the metrics it claims to: every instrument of the meter, the store calls with each outcome.
        listener.RecordObservableInstruments();
        string[] tags;
        lock (measured)
        {
            tags = [.. measured.OfType<string>()];
        }

        foreach (var instrument in new[] { "secretary.store.calls", "secretary.store.duration", "secretary.cache.hits", "secretary.cache.misses", "secretary.cache.stale_served", "secretary.cache.entries", "secretary.cache.oldest_age" })
        {
            Assert.Contains(tags, t => t.StartsWith(instrument + " cache=default", StringComparison.Ordinal));
        }

        foreach (var outcome in new[] { "success", "not_found", "server_error" })
        {
            Assert.Contains(tags, t => t == "secretary.store.calls outcome=" + outcome);
        }

        Assert.Contains(tags, t => t == "secretary.store.calls operation=GetSecretValue");
        Assert.Contains(tags, t => t == "secretary.store.calls operation=BatchGetSecretValue");
        Canary.AssertAbsent([.. texts, .. tags]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void The_leak_check_finds_the_canary_encoded_inside_a_longer_text(int prefix)
    {
        var text = new string('x', prefix) + " " + Canary.Json + " tail";
        var utf8 = Encoding.UTF8.GetBytes(text);
        var encodings = new[]
        {
            text,
            Convert.ToBase64String(utf8),
            Convert.ToBase64String(utf8).Replace('+', '-').Replace('/', '_'),
            Convert.ToHexStringLower(utf8),
            Convert.ToHexString(utf8),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Canary.Json))),
            Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(Encoding.UTF8.GetBytes(Canary.Value))),
        };
        foreach (var encoded in encodings)
        {
            Assert.Throws<Xunit.Sdk.XunitException>(() => Canary.AssertAbsent(["a log line: " + encoded]));
        }

        Canary.AssertAbsent(["CANARY", Convert.ToBase64String(Encoding.UTF8.GetBytes("an ordinary value")), "Secret app/db (version 1)"]);
    }

    [Fact]
    public async Task The_agent_never_puts_a_secret_value_in_its_logs_errors_stats_or_metrics()
    {
        var directory = Directory.CreateTempSubdirectory("secretary-leak-").FullName;
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        var store = new FakeSecretStore();
        var first = store.Set("app/db", Canary.Json);
        store.Set("app/db", Canary.Json);
        store.Set("plain", Canary.Value);
        var logs = new FakeLogCollector();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var options = new SecretaryAgentOptions { HttpPort = 0, TokenFile = tokenFile, Store = "fake", LogLevel = "debug", RequiredSecrets = ["app/db"] };
        await using var host = await SecretaryAgentHost.StartAsync(options, store, l => l.AddProvider(new FakeLoggerProvider(logs)), time);
        using var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Add("X-Aws-Parameters-Secrets-Token", Token);
        var texts = new List<string?>();

        async Task<string> Send(HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || !text.Contains("SecretString", StringComparison.Ordinal))
            {
                texts.Add(text); // everything but a secret's own answer
            }

            return text;
        }

        await Send(HttpMethod.Get, "secretsmanager/get?secretId=app/db");
        await Send(HttpMethod.Get, "v1/app%2Fdb?versionStage=AWSPREVIOUS");
        await Send(HttpMethod.Get, $"v1/app/db?versionId={first.VersionId}");
        await Send(HttpMethod.Get, "secretsmanager/get?secretId=plain&refreshNow=true");
        await Send(HttpMethod.Get, "secretsmanager/get?secretId=missing");
        await Send(HttpMethod.Get, "secretsmanager/get?secretId=app/db&versionId=" + Uri.EscapeDataString(Canary.Value));
        await Send(HttpMethod.Post, "secrets-cache/warm", """{"secret_ids":["app/db","plain","missing"]}""");
        store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, "503 from the store");
        time.Advance(TimeSpan.FromSeconds(301));
        await Send(HttpMethod.Get, "secretsmanager/get?secretId=app/db");
        await Send(HttpMethod.Get, "secretsmanager/get?secretId=plain&refreshNow=true");
        store.Fault = null;
        await Send(HttpMethod.Post, "secrets-cache/clear?secretId=app/db");
        await Send(HttpMethod.Get, "secrets-cache-stats");
        await Send(HttpMethod.Get, "metrics");
        await Send(HttpMethod.Get, "readyz");
        await host.Cache.IdleAsync();

        texts.AddRange(logs.GetSnapshot().Select(r => $"{r.Category} {r.Message} {r.Exception} {string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])}"));
        Assert.True(texts.Count > 20);
        Canary.AssertAbsent(texts);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_aws_store_and_the_emulator_never_log_a_secret_value()
    {
        var logs = new FakeLogCollector();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0 }, factory);
        using var store = new Secretary.Aws.AwsSecretsManagerStore(
            new Secretary.Aws.AwsSecretsManagerStoreOptions
            {
                Region = "us-east-1",
                ServiceUrl = emulator.Endpoint.ToString(),
                Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test"),
                MaxAttempts = 1,
            },
            factory.CreateLogger<Secretary.Aws.AwsSecretsManagerStore>());
        using var cache = new SecretCache(store, logger: factory.CreateLogger<SecretCache>());
        emulator.PutSecret("app/db", Canary.Json);
        emulator.PutSecret("broken", Canary.BrokenJson);
        var texts = new List<string?>();

        await cache.GetAsync("app/db");
        await cache.WarmAsync(["app/db", "broken", "missing"]);
        texts.Add(await Record(() => cache.GetValueAsync("broken", "password").AsTask()));
        texts.Add(await Record(() => cache.GetAsync("missing").AsTask()));
        texts.Add(await Record(() => cache.GetAsync("app/db", new SecretReadOptions { VersionId = "00000000-0000-0000-0000-000000000000" }).AsTask()));
        emulator.SetFaults(new EmulatorFaults { ErrorRate = 1, ErrorType = "InternalServiceError" });
        texts.Add(await Record(() => cache.RefreshAsync("app/db")));
        emulator.SetFaults(new EmulatorFaults { DropConnection = true });
        texts.Add(await Record(() => store.GetSecretAsync(new SecretRequest("app/db", null, null))));
        emulator.ClearFaults();
        texts.Add(cache.GetStats().ToJson());

        texts.AddRange(logs.GetSnapshot().Select(r => $"{r.Category} {r.Message} {r.Exception} {string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])}"));
        Assert.Contains(logs.GetSnapshot(), r => r.Category?.Contains("Emulator", StringComparison.Ordinal) == true);
        Canary.AssertAbsent(texts);
    }

    private static void Record(List<string?> texts, Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (texts)
        {
            foreach (var tag in tags)
            {
                texts.Add($"{instrument.Name} {tag.Key}={tag.Value}");
            }
        }
    }

    /// <summary>The failure's full text (type, message, inner exceptions, stack) or an empty string.</summary>
    private static async Task<string> Record(Func<Task> action)
    {
        try
        {
            await action();
            return string.Empty;
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }
    }
}
