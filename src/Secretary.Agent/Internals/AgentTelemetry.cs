using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Secretary.Agent.Internals;

/// <summary>
/// The agent's OpenTelemetry: the cache's and the backplane's meter (<c>Secretary</c>) and ASP.NET Core's own HTTP server
/// metrics (<c>http.server.request.duration</c> with <c>http.route</c> and <c>http.response.status_code</c>) on
/// <c>/metrics</c>; with an OTLP endpoint configured (the standard <c>OTEL_EXPORTER_OTLP_*</c> variables), the same metrics,
/// the HTTP server spans and the cache's store-call spans (source <c>Secretary</c>), and the logs, exported over OTLP.
/// The resource is <c>service.name = secretary-agent</c> unless <c>OTEL_SERVICE_NAME</c> or
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> says otherwise. A span never carries a secret id: the path form's id is replaced by the
/// route template and query values are redacted.
/// </summary>
internal static class AgentTelemetry
{
    public const string ServiceName = "secretary-agent";

    /// <summary>The meter and activity source of the cache (and of the Redis backplane).</summary>
    public const string SecretaryName = "Secretary";

    /// <summary>Any of these set turns OTLP export on.</summary>
    public static readonly string[] EndpointVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    /// <summary>True when <paramref name="configuration"/> (environment variables included) names an OTLP endpoint.</summary>
    public static bool ExportsOtlp(IConfiguration configuration) =>
        EndpointVariables.Any(name => !string.IsNullOrWhiteSpace(configuration[name]));

    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        var otlp = ExportsOtlp(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .Clear()
                .AddService(ServiceName, serviceVersion: SecretaryAgentHost.Version)
                .AddTelemetrySdk()

                // Last, so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddMeter(SecretaryName)
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0));
        if (otlp)
        {
            // Spans cost a little on every request: only when they go somewhere.
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(SecretaryName)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsScrape(context)))
                .UseOtlpExporter();
        }
    }

    /// <summary>
    /// Names the request for ASP.NET Core's metrics and span once its route is known (the agent's routes are not
    /// endpoints): <c>http.route</c> is the template (<c>/v1/{secretId}</c>), never the id.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="route">Its route template, or null for a path that is no route.</param>
    public static void Tag(HttpContext context, string? route)
    {
        if (route is not null && context.Features.Get<IHttpMetricsTagsFeature>() is { } metricTags)
        {
            metricTags.Tags.Add(new KeyValuePair<string, object?>("http.route", route));
        }

        if (context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.DisplayName = route is null ? context.Request.Method : context.Request.Method + " " + route;
            activity.SetTag("http.route", route);

            // The path form carries the secret id, an unknown path whatever was sent: neither goes into a span.
            activity.SetTag("url.path", route ?? "/");
        }
    }

    private static bool IsScrape(HttpContext context) => context.Request.Path.Equals("/metrics", StringComparison.Ordinal);
}
