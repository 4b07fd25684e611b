namespace Secretary.Testing;

/// <summary>
/// Waits for something another thread or process makes true, where no event can be awaited: the condition is polled
/// (every <see cref="PollInterval"/>) until it holds. The deadline is only a hang guard, generous enough for a loaded
/// machine; it is never a timing assertion, and nothing waits for time to pass.
/// </summary>
public static class Eventually
{
    /// <summary>How long a condition may take before the test fails as hung.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>How often a condition is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Completes when <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after the deadline.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, within);

    /// <inheritdoc cref="TrueAsync(Func{bool}, string, TimeSpan?)"/>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        await ValueAsync(condition, done => done, what, within);

    /// <summary>Probes until <paramref name="done"/> accepts the probe's value, and returns that value.</summary>
    public static Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null) =>
        ValueAsync(probe, done, () => what, within);

    /// <summary>Probes until <paramref name="done"/> accepts the probe's value, and returns that value; <paramref name="what"/> is built only when the deadline passes, so it can show the state reached.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<string> what, TimeSpan? within = null)
    {
        var limit = within ?? Deadline;
        var started = TimeProvider.System.GetTimestamp();
        using var poll = new PeriodicTimer(PollInterval);
        var last = await probe();
        while (!done(last))
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Not true within the {limit.TotalSeconds:0} s hang guard: {what()} (last seen: {last}).");
            }

            await poll.WaitForNextTickAsync();
            last = await probe();
        }

        return last;
    }
}
