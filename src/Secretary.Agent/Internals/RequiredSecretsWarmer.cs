using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Secretary.Agent.Internals;

/// <summary>Warms the required secrets at start (batched), then retries the missing ones until all are cached.</summary>
internal sealed partial class RequiredSecretsWarmer(ISecretCache cache, ReadinessState readiness, TimeProvider time, ILogger<RequiredSecretsWarmer> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        while (!stoppingToken.IsCancellationRequested && !readiness.IsReady)
        {
            try
            {
                var report = await cache.WarmAsync(readiness.MissingSecrets, cancellationToken: stoppingToken).ConfigureAwait(false);
                var missing = report.Details.Where(d => d.Status != "success").Select(d => d.SecretName).ToList();
                readiness.Update(missing);
                Log.Warmed(logger, report.TotalSecrets, report.Successful, report.Failed, report.StoreCalls, report.DurationSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (readiness.IsReady)
            {
                return;
            }

            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Information, "Warmed required secrets: {Total} asked, {Successful} cached, {Failed} missing, {StoreCalls} store calls, {DurationSeconds:0.###} s", EventName = "RequiredWarmed")]
        public static partial void Warmed(ILogger logger, int total, int successful, int failed, int storeCalls, double durationSeconds);
    }
}
