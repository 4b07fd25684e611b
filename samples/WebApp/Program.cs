using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Secretary;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

// The file store's path is relative to the app's folder, wherever `dotnet run` is started from.
if (builder.Configuration["Secretary:File:Path"] is { Length: > 0 } path && !Path.IsPathRooted(path))
{
    builder.Configuration["Secretary:File:Path"] = Path.Combine(AppContext.BaseDirectory, path);
}

// 1. Configuration provider: the keys of surgicase/ses_keys in the "Ses" section, reloaded on rotation.
//    The store comes from the "Secretary" section (appsettings.json, appsettings.Development.json).
builder.Configuration.AddSecretary(source => source.AddSecret("surgicase/ses_keys", section: "Ses"));
builder.Services.Configure<SesOptions>(builder.Configuration.GetSection("Ses"));

// 2. Dependency injection: ISecretCache over the same store; required secrets warmed before the first request.
builder.Services.AddSecretary();
builder.Services.AddHealthChecks().AddSecretary();

var app = builder.Build();

app.MapGet("/", async (ISecretCache cache, IOptionsMonitor<SesOptions> ses, CancellationToken cancellationToken) =>
{
    // Facts derived from secrets; the values themselves are never shown.
    var main = await cache.GetAsync("surgicase/main", cancellationToken: cancellationToken);
    var compression = main.TryGetValue("COMPRESSION_MODE", out var mode) ? mode : "(not set)";
    var sender = ses.CurrentValue.DefaultFromEmail;
    var domain = sender is null ? "(not set)" : sender[(sender.IndexOf('@', StringComparison.Ordinal) + 1)..];
    var html = $"""
        <!doctype html>
        <title>Secretary sample</title>
        <h1>Secretary sample</h1>
        <p>Mail is sent from the domain <strong id="sender-domain">{WebUtility.HtmlEncode(domain)}</strong>.</p>
        <p>Compression mode: <strong id="compression-mode">{WebUtility.HtmlEncode(compression)}</strong>.</p>
        <p><a href="/health">/health</a> · <a href="/secrets-cache-stats">/secrets-cache-stats</a></p>
        """;
    return Results.Content(html, "text/html; charset=utf-8");
});

app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
app.MapSecretsCacheStats();

app.Run();

static Task WriteHealthAsync(HttpContext context, HealthReport report)
{
    context.Response.ContentType = "application/json";
    var body = new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
    };
    return context.Response.WriteAsync(JsonSerializer.Serialize(body));
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
