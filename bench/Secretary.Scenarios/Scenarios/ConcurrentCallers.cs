using System.Diagnostics;
using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>Releases many async callers at once and times their answers.</summary>
internal static class ConcurrentCallers
{
    /// <summary>One caller per id; returns the time to the first and to the last answer, in ms, and how many failed.</summary>
    public static async Task<(double FirstMs, double LastMs, int Failed)> RunAsync(ICacheContender contender, IReadOnlyList<string> ids)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        var failed = 0;
        var callers = ids.Select(id => Task.Run(async () =>
        {
            Interlocked.Increment(ref arrived);
            await go.Task.ConfigureAwait(false);
            try
            {
                await contender.ReadAsync(id).ConfigureAwait(false);
            }
            catch (SecretaryException)
            {
                Interlocked.Increment(ref failed);
            }

            return Stopwatch.GetTimestamp();
        })).ToArray();

        while (Volatile.Read(ref arrived) < ids.Count)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        var start = Stopwatch.GetTimestamp();
        go.SetResult();
        var ends = await Task.WhenAll(callers).ConfigureAwait(false);
        return (Ms(ends.Min() - start), Ms(ends.Max() - start), failed);

        static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }
}
