using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using Secretary;
using Secretary.Databases.Testing;
using Secretary.DatabaseRotation;
using Secretary.Redis;
using Secretary.Testing;

// dotnet run -c Release --project bench/Secretary.DatabaseRotation -- [--seconds 60] [--interval 10] [--workers 8] [--rate 40]
//   [--engines postgres,mariadb] [--strategies single-user,alternating-users] [--markdown FILE]
var seconds = 60;
var interval = 10;
var workers = 8;
var rate = 40;
string[] engines = ["postgres", "mariadb"];
string[] strategies = [RotationRig.AlternatingUsers, RotationRig.SingleUser];
string? markdownPath = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--interval": interval = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--workers": workers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--rate": rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--engines": engines = args[i + 1].Split(','); break;
        case "--strategies": strategies = args[i + 1].Split(','); break;
        case "--markdown": markdownPath = args[i + 1]; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}"); return 2;
    }
}

using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == "Secretary" && instrument.Name == "secretary.db.retried_opens")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<long>((_, _, _, _) => Workload.OnRetriedOpen());
listener.Start();

var redisPort = ServiceAccount.FreePort();
var (redis, _) = await ServerProcess.StartAsync("redis-server", ["--port", ServiceAccount.Text(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], new Regex("Ready to accept connections"));
var redisConfiguration = "127.0.0.1:" + ServiceAccount.Text(redisPort);
var hookOptions = new RedisBackplaneOptions { Configuration = redisConfiguration, InstanceId = "rotation-hook" };
using var logs = Microsoft.Extensions.Logging.LoggerFactory.Create(l => l.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning).AddFilter("Secretary.Databases", Microsoft.Extensions.Logging.LogLevel.Information));
var rows = new List<string>();
var notes = new List<string>();
Console.WriteLine($"# Database rotation scenario: {workers} workers x {rate} queries/s, {seconds} s, a rotation every {interval} s, cache TTL 300 s");
try
{
    foreach (var engine in engines)
    {
        await using DatabaseServer server = engine == "postgres" ? await PostgresServer.StartAsync() : await MariaDbServer.StartAsync();
        await using var rig = await RotationRig.StartAsync(server);
        foreach (var strategy in strategies)
        {
            foreach (var propagate in new[] { true, false })
            {
                Console.Error.WriteLine($"Running {engine} {strategy} {(propagate ? "backplane" : "no propagation")}...");
                rows.AddRange(await RunAsync(rig, engine, strategy, propagate));
            }
        }
    }
}
finally
{
    await redis.DisposeAsync();
}

var table = new StringBuilder()
    .AppendLine("| engine | rotation | change reaches the cache | client | workers | queries | queries/s | failed | failed per rotation | retried opens | most retried opens by one worker in one rotation | new connections on the new version after finishSecret (max, median) |")
    .AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
rows.ForEach(r => table.AppendLine(r));
Console.WriteLine(table);
notes.ForEach(Console.WriteLine);
if (markdownPath is not null)
{
    await File.WriteAllTextAsync(markdownPath, table + string.Join('\n', notes) + "\n");
}

return 0;

async Task<List<string>> RunAsync(RotationRig rig, string engine, string strategy, bool propagate)
{
    var (secretId, user, password) = await rig.CreateAppSecretAsync(strategy);
    var ttl = TimeSpan.FromSeconds(300);
    var (cache, store) = rig.NewCache(ttl);
    var (naiveCache, naiveStore) = rig.NewCache(ttl);
    var backplaneOptions = new RedisBackplaneOptions { Configuration = redisConfiguration, InstanceId = "app-" + secretId };
    await using var backplane = propagate ? await RedisBackplane.ConnectAsync(cache, backplaneOptions) : null;
    var disposables = new List<IAsyncDisposable>();
    var pooled = "Pooling=true;Maximum Pool Size=32;Connection Lifetime=2";
    DbDataSource secretary;
    var groups = new List<Workload>();
    if (engine == "postgres")
    {
        var secretaryPg = new NpgsqlDataSourceBuilder(pooled + ";Timeout=15").UseSecretaryCredentials(cache, secretId, o => o.LoggerFactory = logs).Build();
        secretary = secretaryPg;
        groups.Add(new Workload("Secretary.Npgsql", secretary, workers, rate));
        if (!propagate)
        {
            var once = new NpgsqlConnectionStringBuilder(pooled + ";Timeout=15") { Host = rig.Server.Host, Port = rig.Server.Port, Database = DatabaseServer.AppDatabase, Username = user, Password = password };
            groups.Add(new Workload("naive: password read once", NpgsqlDataSource.Create(once), 2, rate));
            var ttlBuilder = new NpgsqlDataSourceBuilder(pooled + ";Timeout=15") { ConnectionStringBuilder = { Host = rig.Server.Host, Port = rig.Server.Port, Database = DatabaseServer.AppDatabase, Username = user } };
            ttlBuilder.UsePasswordProvider(_ => naiveCache.GetValue(secretId, "password"), async (_, ct) => await naiveCache.GetValueAsync(secretId, "password", cancellationToken: ct));
            groups.Add(new Workload("naive: cached 300 s, no retry", ttlBuilder.Build(), 2, rate));
        }
    }
    else
    {
        secretary = new MySqlDataSourceBuilder(pooled + ";Connection Timeout=15").UseSecretaryCredentials(cache, secretId, o => o.LoggerFactory = logs).Build();
        groups.Add(new Workload("Secretary.MySqlConnector", secretary, workers, rate));
        if (!propagate)
        {
            var once = new MySqlConnectionStringBuilder(pooled + ";Connection Timeout=15") { Server = rig.Server.Host, Port = (uint)rig.Server.Port, Database = DatabaseServer.AppDatabase, UserID = user, Password = password };
            groups.Add(new Workload("naive: password read once", new MySqlDataSource(once.ConnectionString), 2, rate));
            var ttlSettings = new MySqlConnectionStringBuilder(pooled + ";Connection Timeout=15") { Server = rig.Server.Host, Port = (uint)rig.Server.Port, Database = DatabaseServer.AppDatabase, UserID = user };
            groups.Add(new Workload("naive: cached 300 s, no retry", new NaiveMySqlDataSource(ttlSettings.ConnectionString, () => naiveCache.GetValue(secretId, "password")), 2, rate));
        }
    }

    (string? VersionId, long RetriedOpens, long PhysicalOpens, string Detail) stats()
    {
        if (secretary is Secretary.Npgsql.SecretaryNpgsqlDataSource pg)
        {
            var s = pg.GetStats();
            return (s.VersionId, s.RetriedOpens, s.PhysicalOpens, $"authentication failures {s.AuthenticationFailures}, failed retries {s.FailedRetries}, unrecovered {s.UnrecoveredFailures}, switches {s.CredentialSwitches}");
        }

        var m = ((Secretary.MySqlConnector.SecretaryMySqlDataSource)secretary).GetStats();
        return (m.VersionId, m.RetriedOpens, m.PhysicalOpens, $"authentication failures {m.AuthenticationFailures}, failed retries {m.FailedRetries}, unrecovered {m.UnrecoveredFailures}, switches {m.CredentialSwitches}");
    }

    foreach (var group in groups)
    {
        await (await group.DataSource.OpenConnectionAsync()).DisposeAsync(); // warm: the secret read, one connection each
    }

    Workload.Rotation = 0;
    using var stop = new CancellationTokenSource();
    var started = Stopwatch.StartNew();
    var tasks = groups.SelectMany(g => g.Start(stop.Token)).ToList();
    var switches = new List<double>();
    var rotations = 0;
    var offset = TimeSpan.FromSeconds(interval / 2.0);
    while (started.Elapsed + TimeSpan.FromSeconds(interval / 2.0) <= TimeSpan.FromSeconds(seconds))
    {
        var due = offset + TimeSpan.FromSeconds(interval * rotations);
        if (due > started.Elapsed)
        {
            await Task.Delay(due - started.Elapsed);
        }

        Workload.Rotation = ++rotations;
        var (version, _) = await rig.RotateAsync(secretId, strategy);
        Console.Error.WriteLine($"rotation {rotations} of {secretId}: {version}");
        var finished = Stopwatch.GetTimestamp();
        if (backplane is not null)
        {
            await RedisBackplane.PublishOnceAsync(hookOptions, new SecretChangeMessage(secretId, version, SecretRequest.CurrentStage, "rotation-hook", TimeProvider.System.GetUtcNow()));
        }

        // Until new connections use the new version: seen through the backplane, or through a refused-then-retried open.
        while (stats().VersionId != version && Stopwatch.GetElapsedTime(finished) < TimeSpan.FromSeconds(interval - 1))
        {
            await Task.Delay(2);
        }

        switches.Add(stats().VersionId == version ? Stopwatch.GetElapsedTime(finished).TotalMilliseconds : double.NaN);
    }

    var remaining = TimeSpan.FromSeconds(seconds) - started.Elapsed;
    if (remaining > TimeSpan.Zero)
    {
        await Task.Delay(remaining);
    }

    await stop.CancelAsync();
    await Task.WhenAll(tasks);
    var elapsed = started.Elapsed.TotalSeconds;
    var rows = new List<string>();
    var (_, retried, physical, detail) = stats();
    foreach (var group in groups)
    {
        var isSecretary = ReferenceEquals(group.DataSource, secretary);
        var switched = switches.Where(s => !double.IsNaN(s)).Order().ToList();
        var switchText = !isSecretary ? "-"
            : switched.Count == 0 ? $"not within the interval ({(strategy == RotationRig.AlternatingUsers ? "none needed: the old user still logs in" : "-")})"
            : $"{switched.Max():0} ms, {switched[switched.Count / 2]:0} ms ({switched.Count} of {switches.Count} rotations)";
        rows.Add($"| {engine} | {strategy} | {(propagate ? "Redis backplane (VersionChanged)" : "no (TTL 300 s)")} | {group.Client} | {group.Workers} | {group.Ok + group.Failed} | {(group.Ok + group.Failed) / elapsed:0} | {group.Failed} | {(double)group.Failed / rotations:0.#} | {(isSecretary ? retried.ToString(CultureInfo.InvariantCulture) : "-")} | {(isSecretary ? group.MaxRetriesPerWorkerPerRotation.ToString(CultureInfo.InvariantCulture) : "-")} | {switchText} |");
        if (group.Errors.Count > 0)
        {
            notes.Add($"- {engine} {strategy} {group.Client}: {string.Join(", ", group.Errors.Select(e => $"{e.Key}: {e.Value}"))}");
        }
    }

    notes.Add($"- {engine} {strategy} {(propagate ? "backplane" : "no propagation")}: {rotations} rotations, {physical} physical opens by Secretary's data source ({detail}); switch times (ms) after each finishSecret: {string.Join(", ", switches.Select(s => double.IsNaN(s) ? "-" : s.ToString("0", CultureInfo.InvariantCulture)))}");
    foreach (var group in groups)
    {
        await group.DataSource.DisposeAsync();
    }

    cache.Dispose();
    store.Dispose();
    naiveCache.Dispose();
    naiveStore.Dispose();
    return rows;
}
