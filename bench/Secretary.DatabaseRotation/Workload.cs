using System.Data.Common;

namespace Secretary.DatabaseRotation;

/// <summary>One group of workers running <c>SELECT 1</c> through one data source at a fixed rate each; counts what failed.</summary>
internal sealed class Workload(string client, DbDataSource dataSource, int workers, int queriesPerSecondPerWorker)
{
    private static readonly AsyncLocal<Workload?> CurrentGroup = new();
    private static readonly AsyncLocal<int> CurrentWorker = new();

    private readonly Dictionary<(int Worker, int Rotation), int> _retries = [];
    private long _ok;
    private long _failed;

    public string Client { get; } = client;

    public DbDataSource DataSource { get; } = dataSource;

    public int Workers { get; } = workers;

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    public Dictionary<string, int> Errors { get; } = [];

    /// <summary>The rotation now running or last finished (0 before the first).</summary>
    public static int Rotation { get; set; }

    /// <summary>The most retried opens one worker made during one rotation.</summary>
    public int MaxRetriesPerWorkerPerRotation
    {
        get
        {
            lock (_retries)
            {
                return _retries.Count == 0 ? 0 : _retries.Values.Max();
            }
        }
    }

    /// <summary>A retried open, as the data source's <c>secretary.db.retried_opens</c> counter reports it on the worker's own flow.</summary>
    public static void OnRetriedOpen()
    {
        if (CurrentGroup.Value is { } group)
        {
            lock (group._retries)
            {
                var key = (CurrentWorker.Value, Rotation);
                group._retries[key] = group._retries.GetValueOrDefault(key) + 1;
            }
        }
    }

    public Task[] Start(CancellationToken stop) =>
        [.. Enumerable.Range(0, Workers).Select(worker => Task.Run(() => RunAsync(worker, stop), CancellationToken.None))];

    private async Task RunAsync(int worker, CancellationToken stop)
    {
        CurrentGroup.Value = this;
        CurrentWorker.Value = worker;
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / queriesPerSecondPerWorker));
        try
        {
            while (await pace.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var connection = await DataSource.OpenConnectionAsync(stop);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(stop);
                    Interlocked.Increment(ref _ok);
                }
                catch (DbException ex)
                {
                    Interlocked.Increment(ref _failed);
                    var kind = ex.GetType().Name + " " + (ex.SqlState ?? string.Empty) + " " + ex.ErrorCode;
                    lock (Errors)
                    {
                        Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
