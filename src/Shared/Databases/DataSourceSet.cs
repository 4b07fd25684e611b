using System.Data.Common;

namespace Secretary.Databases;

/// <summary>
/// The driver's data sources, one per server, database and user (a driver's data source has one user): the current
/// one serves new connections; the others stay until disposal so connections created from them still open and return
/// to their pool (alternating-users rotation switches between two users, so two are usual). Beyond
/// <see cref="MaxSources"/> the oldest other one is disposed.
/// </summary>
internal sealed class DataSourceSet<TSource> : IAsyncDisposable
    where TSource : DbDataSource
{
    public const int MaxSources = 8;

    private readonly Func<DatabaseCredentials, TSource> _build;
    private readonly Lock _gate = new();
    private readonly List<(DatabaseCredentials Key, TSource Source)> _sources = [];
    private bool _disposed;

    public DataSourceSet(Func<DatabaseCredentials, TSource> build) => _build = build;

    /// <summary>The data source for the server, database and user of <paramref name="credentials"/>, built on first use.</summary>
    public TSource For(DatabaseCredentials credentials)
    {
        TSource? evicted = null;
        TSource source;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var index = _sources.FindIndex(s => s.Key.SameEndpoint(credentials));
            if (index >= 0 && index == _sources.Count - 1)
            {
                return _sources[index].Source;
            }

            if (index >= 0)
            {
                // Most recently used last.
                var found = _sources[index];
                _sources.RemoveAt(index);
                _sources.Add(found);
                return found.Source;
            }

            source = _build(credentials);
            _sources.Add((credentials, source));
            if (_sources.Count > MaxSources)
            {
                evicted = _sources[0].Source;
                _sources.RemoveAt(0);
            }
        }

        if (evicted is not null)
        {
            _ = evicted.DisposeAsync().AsTask();
        }

        return source;
    }

    public async ValueTask DisposeAsync()
    {
        List<(DatabaseCredentials, TSource Source)> sources;
        lock (_gate)
        {
            _disposed = true;
            sources = [.. _sources];
            _sources.Clear();
        }

        foreach (var (_, source) in sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
