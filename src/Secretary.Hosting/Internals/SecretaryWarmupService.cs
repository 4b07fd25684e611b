using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>
/// Reads the required secrets in batches while the host starts, before the server takes requests, so the first
/// request never waits on the store; logs the warming report. A failure does not stop the host: the health check
/// reports the missing secrets.
/// </summary>
internal sealed partial class SecretaryWarmupService(
    ISecretCache cache,
    IOptions<SecretaryOptions> options,
    ILogger<SecretaryWarmupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.UseStaticFacade)
        {
            Secrets.Use(cache);
        }

        var ids = (settings.RequiredSecrets ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (!settings.WarmOnStart || ids.Length == 0)
        {
            return;
        }

        var report = await cache.WarmAsync(ids, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (report.Failed == 0)
        {
            Log.Warmed(logger, report.Successful, report.TotalSecrets, report.StoreCalls, report.DurationSeconds);
            return;
        }

        Log.WarmedWithFailures(logger, report.Successful, report.TotalSecrets, report.Failed, report.StoreCalls, report.DurationSeconds);
        foreach (var detail in report.Details)
        {
            if (detail.Error is not null)
            {
                Log.WarmFailed(logger, detail.SecretName, detail.Error);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Secretary warmed {Successful}/{Total} required secrets in {StoreCalls} store calls ({DurationSeconds:0.###} s)", EventName = "Warmed")]
        public static partial void Warmed(ILogger logger, int successful, int total, int storeCalls, double durationSeconds);

        [LoggerMessage(101, LogLevel.Warning, "Secretary warmed {Successful}/{Total} required secrets; {Failed} failed ({StoreCalls} store calls, {DurationSeconds:0.###} s)", EventName = "WarmedWithFailures")]
        public static partial void WarmedWithFailures(ILogger logger, int successful, int total, int failed, int storeCalls, double durationSeconds);

        [LoggerMessage(102, LogLevel.Warning, "Secretary could not warm the required secret {SecretId}: {Error}", EventName = "WarmFailed")]
        public static partial void WarmFailed(ILogger logger, string secretId, string error);
    }
}
