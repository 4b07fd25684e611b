using EfCoreApp;
using Microsoft.EntityFrameworkCore;
using Secretary.Npgsql;

var builder = WebApplication.CreateBuilder(args);

// 1. The cache, its store from the "Secretary" section (AWS Secrets Manager, or the emulator through Secretary:Aws:Endpoint).
builder.Services.AddSecretary();

// 2. The data source: user, password, host, port and database from the RDS-format secret; everything else here.
var secretId = builder.Configuration["Database:SecretId"] ?? "app/postgres";
builder.Services.AddSecretaryNpgsqlDataSource(secretId, "Maximum Pool Size=20;Timeout=5;Command Timeout=10");

// 3. EF Core on that data source. The interceptor opens EF's connections through the data source, so an open refused
//    after a single-user rotation the cache has not seen yet is refreshed and retried once instead of failing the request.
builder.Services.AddSingleton<SecretaryConnectionInterceptor>();
builder.Services.AddDbContext<NotesContext>((services, options) => options
    .UseNpgsql(services.GetRequiredService<SecretaryNpgsqlDataSource>())
    .AddInterceptors(services.GetRequiredService<SecretaryConnectionInterceptor>()));

var app = builder.Build();

app.MapGet("/", async (NotesContext db, SecretaryNpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
{
    await db.Database.EnsureCreatedAsync(cancellationToken);
    db.Notes.Add(new Note { Text = $"visited at {DateTimeOffset.UtcNow:O}" });
    await db.SaveChangesAsync(cancellationToken);
    var count = await db.Notes.CountAsync(cancellationToken);
    var stats = dataSource.GetStats();

    // Facts about the credentials, never the password.
    return Results.Ok(new
    {
        notes = count,
        user = stats.Username,
        secretVersion = stats.VersionId,
        retriedOpens = stats.RetriedOpens,
        credentialSwitches = stats.CredentialSwitches,
    });
});

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
