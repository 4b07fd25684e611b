using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>
/// An unmeasured round on a throwaway cache before a cold-start scenario, so the first
/// contender measured does not pay for JIT compilation and thread-pool growth the others
/// inherit.
/// </summary>
internal static class Practice
{
    public static async Task RunAsync(string name)
    {
        var store = new FakeStore(_ => TimeSpan.FromMilliseconds(5));
        using var contender = Contenders.Create(name, store, TimeSpan.FromMinutes(5));
        var ids = Enumerable.Range(0, 100).Select(i => $"practice/{i % 10}").ToList();
        await ConcurrentCallers.RunAsync(contender, ids);
        await ConcurrentCallers.RunAsync(contender, ids);
    }
}
