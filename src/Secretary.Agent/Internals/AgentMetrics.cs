using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Secretary.Agent.Internals;

/// <summary>The agent's own instruments (meter <c>Secretary.Agent</c>): requests by route and status. Routes are templates, never secret ids.</summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "Secretary.Agent";

    private static readonly double[] Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public AgentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("secretary.agent.requests", "{request}", "Requests handled, by route and status.");
        _duration = meter.CreateHistogram(
            "secretary.agent.request.duration", "s", "Time to answer a request.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public void Request(string route, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "route", route }, { "status", status } };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }
}
