using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Tests;

/// <summary>
/// A small OTLP/HTTP receiver on loopback: the OpenTelemetry exporter's <c>http/protobuf</c> protocol (POST
/// <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, <c>application/x-protobuf</c>), decoded field by field with
/// Google.Protobuf's wire reader after the OTLP schema (opentelemetry-proto: trace/v1, metrics/v1, common/v1).
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Span> _spans = new();
    private readonly ConcurrentQueue<Metric> _metrics = new();
    private readonly ConcurrentQueue<string> _contentTypes = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public sealed record Span(
        string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, int StatusCode,
        IReadOnlyDictionary<string, string> Attributes, IReadOnlyDictionary<string, string> Resource, string Scope);

    public sealed record Metric(string Name, string Unit, string Scope, IReadOnlyDictionary<string, string> Resource, IReadOnlyList<IReadOnlyDictionary<string, string>> Points);

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<Span> Spans => [.. _spans];

    public IReadOnlyList<Metric> Metrics => [.. _metrics];

    /// <summary>The content types the exporter sent.</summary>
    public IReadOnlyCollection<string> ContentTypes => [.. _contentTypes.Distinct()];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._contentTypes.Enqueue(request.ContentType ?? string.Empty);
            var bytes = ByteString.CopyFrom(body.ToArray());
            switch (signal)
            {
                case "traces":
                    receiver.ReadTraces(bytes);
                    break;
                case "metrics":
                    receiver.ReadMetrics(bytes);
                    break;
            }

            // An empty Export*ServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(app.Urls.First());
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what has arrived; 60 s only as a hang guard.</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition(this))
        {
            try
            {
                await Task.Delay(50, guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} arrived. Spans: {string.Join(", ", Spans.Select(s => s.Name))}; metrics: {string.Join(", ", Metrics.Select(m => m.Name).Distinct())}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // ExportTraceServiceRequest { 1: ResourceSpans { 1: Resource, 2: ScopeSpans { 1: InstrumentationScope, 2: Span } } }
    private void ReadTraces(ByteString request)
    {
        foreach (var resourceSpans in Messages(request, 1))
        {
            var resource = Attributes(Messages(resourceSpans, 1).FirstOrDefault(), 1);
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                var scope = ScopeName(scopeSpans);
                foreach (var span in Messages(scopeSpans, 2))
                {
                    var fields = Fields(span).ToList();
                    var status = fields.Where(f => f.Number == 15).Select(f => (ByteString)f.Value).FirstOrDefault();
                    _spans.Enqueue(new Span(
                        Hex(fields, 1), Hex(fields, 2), Hex(fields, 4), Text(fields, 5), (int)Number(fields, 6),
                        status is null ? 0 : (int)Number([.. Fields(status)], 3),
                        Attributes(span, 9), resource, scope));
                }
            }
        }
    }

    // ExportMetricsServiceRequest { 1: ResourceMetrics { 1: Resource, 2: ScopeMetrics { 1: InstrumentationScope, 2: Metric } } }
    // Metric { 1: name, 3: unit, 5: Gauge, 7: Sum, 9: Histogram }, each { 1: data points }; a point's attributes are
    // field 7 (NumberDataPoint) or 9 (HistogramDataPoint).
    private void ReadMetrics(ByteString request)
    {
        foreach (var resourceMetrics in Messages(request, 1))
        {
            var resource = Attributes(Messages(resourceMetrics, 1).FirstOrDefault(), 1);
            foreach (var scopeMetrics in Messages(resourceMetrics, 2))
            {
                var scope = ScopeName(scopeMetrics);
                foreach (var metric in Messages(scopeMetrics, 2))
                {
                    var fields = Fields(metric).ToList();
                    var points = new List<IReadOnlyDictionary<string, string>>();
                    foreach (var (kind, attributesField) in new[] { (5, 7), (7, 7), (9, 9) })
                    {
                        foreach (var data in fields.Where(f => f.Number == kind).Select(f => (ByteString)f.Value))
                        {
                            points.AddRange(Messages(data, 1).Select(point => Attributes(point, attributesField)));
                        }
                    }

                    _metrics.Enqueue(new Metric(Text(fields, 1), Text(fields, 3), scope, resource, points));
                }
            }
        }
    }

    private static string ScopeName(ByteString scoped) => Messages(scoped, 1).Select(scope => Text([.. Fields(scope)], 1)).FirstOrDefault() ?? string.Empty;

    // KeyValue { 1: key, 2: AnyValue { 1: string, 2: bool, 3: int64, 4: double } }, as text.
    private static Dictionary<string, string> Attributes(ByteString? message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message is null)
        {
            return attributes;
        }

        foreach (var pair in Messages(message, field))
        {
            var fields = Fields(pair).ToList();
            var value = fields.Where(f => f.Number == 2).Select(f => (ByteString)f.Value).FirstOrDefault();
            var any = value is null ? [] : Fields(value).ToList();
            attributes[Text(fields, 1)] = any.FirstOrDefault() switch
            {
                (1, ByteString text) => text.ToStringUtf8(),
                (2, ulong flag) => flag != 0 ? "true" : "false",
                (3, ulong number) => ((long)number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (4, ulong bits) => BitConverter.Int64BitsToDouble((long)bits).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => string.Empty,
            };
        }

        return attributes;
    }

    private static IEnumerable<ByteString> Messages(ByteString message, int field) =>
        Fields(message).Where(f => f.Number == field).Select(f => (ByteString)f.Value);

    private static string Text(List<(int Number, object Value)> fields, int field) =>
        fields.Where(f => f.Number == field).Select(f => ((ByteString)f.Value).ToStringUtf8()).FirstOrDefault() ?? string.Empty;

    private static string Hex(List<(int Number, object Value)> fields, int field) =>
        fields.Where(f => f.Number == field).Select(f => Convert.ToHexStringLower(((ByteString)f.Value).Span)).FirstOrDefault() ?? string.Empty;

    private static ulong Number(List<(int Number, object Value)> fields, int field) =>
        fields.Where(f => f.Number == field).Select(f => (ulong)f.Value).FirstOrDefault();

    /// <summary>The fields of one message: varints and fixed numbers as <see cref="ulong"/>, length-delimited ones as bytes.</summary>
    private static IEnumerable<(int Number, object Value)> Fields(ByteString message)
    {
        var fields = new List<(int, object)>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            fields.Add(WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => (number, input.ReadUInt64()),
                WireFormat.WireType.Fixed64 => (number, input.ReadFixed64()),
                WireFormat.WireType.Fixed32 => (number, (ulong)input.ReadFixed32()),
                WireFormat.WireType.LengthDelimited => (number, input.ReadBytes()),
                var other => throw new InvalidDataException($"Unexpected wire type {other} in an OTLP message."),
            });
        }

        return fields;
    }
}
