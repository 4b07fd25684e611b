using System.Diagnostics;
using Secretary.Testing;

namespace Secretary.Tests;

/// <summary>The <c>Secretary</c> activity source: a span per store call, its attributes, never a value, names only on request.</summary>
[Collection(nameof(TracingTests))] // listeners are process-wide: these tests do not run beside each other
public sealed class TracingTests
{
    [Fact]
    public async Task A_cold_read_shared_by_ten_readers_is_one_client_span()
    {
        using var spans = new SpanCollector("trace-1");
        using var f = new CacheFixture();
        f.Store.Region = "trace-1";
        f.Store.Set("app/db", Canary.Json);
        f.Store.Block();

        var readers = Enumerable.Range(0, 10).Select(_ => f.Cache.GetAsync("app/db").AsTask()).ToArray();
        f.Store.Release();
        await Task.WhenAll(readers);

        var span = Assert.Single(spans.Stopped, s => s.Source.Name == "Secretary");
        Assert.Equal("GetSecretValue", span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("secretary", span.GetTagItem("rpc.system"));
        Assert.Equal("GetSecretValue", span.GetTagItem("rpc.method"));
        Assert.Equal("trace-1", span.GetTagItem("cloud.region"));
        Assert.Equal("miss", span.GetTagItem("secretary.cache.outcome"));
        Assert.Equal(10, span.GetTagItem("secretary.flight.waiters"));
        Assert.Null(span.GetTagItem("secretary.secret.name"));
        Canary.AssertAbsent(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public async Task A_failed_call_carries_error_type_and_an_error_status_and_names_are_opt_in()
    {
        using var spans = new SpanCollector("trace-2");
        using var f = new CacheFixture(o => o.TraceSecretNames = true);
        f.Store.Region = "trace-2";
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Throttled);

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("app/db").AsTask());
        f.Store.Fault = null;
        f.Store.Set("w/1", "v");
        await f.Cache.WarmAsync(["w/1"]);

        var failed = Assert.Single(spans.Stopped, s => s.OperationName == "GetSecretValue");
        Assert.Equal("Throttled", failed.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("app/db", failed.GetTagItem("secretary.secret.name"));
        var batch = Assert.Single(spans.Stopped, s => s.OperationName == "BatchGetSecretValue");
        Assert.Equal("warm-up", batch.GetTagItem("secretary.cache.outcome"));
    }

    [Fact]
    public async Task A_read_inside_a_span_makes_the_store_call_its_child()
    {
        using var spans = new SpanCollector("trace-3");
        using var parentSource = new ActivitySource("Secretary.Tests.Parent");
        using var f = new CacheFixture();
        f.Store.Region = "trace-3";
        f.Store.Set("k", "v");

        using (var parent = parentSource.StartActivity("GET /secretsmanager/get"))
        {
            await f.Cache.GetAsync("k");
            var child = Assert.Single(spans.Stopped, s => s.Source.Name == "Secretary");
            Assert.Equal(parent!.SpanId, child.ParentSpanId);
        }
    }

    /// <summary>Collects the Secretary spans of one test's store (told apart by its region: other tests run at the same time).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly List<Activity> _stopped = [];
        private readonly string _region;

        public SpanCollector(string region)
        {
            _region = region;
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "Secretary" or "Secretary.Tests.Parent",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    lock (_stopped)
                    {
                        _stopped.Add(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped
        {
            get
            {
                lock (_stopped)
                {
                    return [.. _stopped.Where(a => a.Source.Name == "Secretary" && (string?)a.GetTagItem("cloud.region") == _region)];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
