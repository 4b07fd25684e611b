using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Secretary.Hosting.Internals;

/// <summary>
/// Loads secrets through a cache into configuration keys and reloads (raising the change token) when a secret's
/// version changes: on the cache's <see cref="ISecretCache.VersionChanged"/> event and on a polling timer. A failed
/// reload keeps the last values and logs; a failed first load throws unless the source is optional.
/// </summary>
internal sealed partial class SecretaryConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly SecretaryConfigurationSource _source;
    private readonly IConfigurationBuilder _builder;
    private readonly string[] _ids;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private ISecretCache? _cache;
    private SecretCache? _ownedCache;
    private ISecretStore? _ownedStore;
    private ITimer? _timer;
    private Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private bool _loaded;
    private bool _watching;
    private int _pending;
    private bool _disposed;

    public SecretaryConfigurationProvider(SecretaryConfigurationSource source, IConfigurationBuilder builder)
    {
        _source = source;
        _builder = builder;
        _ids = [.. source.SecretIds.Distinct(StringComparer.Ordinal)];
        _logger = source.LoggerFactory?.CreateLogger("Secretary.Hosting.Configuration") ?? NullLogger.Instance;
    }

    /// <summary>The cache the provider reads through (after the first load).</summary>
    public ISecretCache? Cache => _cache;

    public override void Load()
    {
        try
        {
            var cache = _cache ??= CreateCache();
            var (data, versions) = ReadAsync(cache).GetAwaiter().GetResult();
            Data = data;
            _versions = versions;
            _loaded = true;
            Log.Loaded(_logger, _ids.Length, data.Count);
        }
        catch (Exception ex) when (_loaded || _source.Optional)
        {
            // A reload keeps the last values; an optional source starts empty.
            Log.LoadFailed(_logger, _loaded, ex.GetType().Name, Describe(ex));
        }

        StartWatching();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer?.Dispose();
        if (_cache is not null)
        {
            _cache.VersionChanged -= OnVersionChanged;
        }

        _ownedCache?.Dispose();
        (_ownedStore as IDisposable)?.Dispose();
        _reloadGate.Dispose();
    }

    /// <summary>Reads every secret and checks for new versions now (what the timer does); for tests and manual refresh.</summary>
    internal Task ReloadNowAsync() => ReloadAsync();

    private ISecretCache CreateCache()
    {
        if (_source.Cache is { } shared)
        {
            return shared;
        }

        var options = ReadOptions();
        var store = _source.Store ?? (_ownedStore = SecretaryStoreFactory.Create(options, _source.LoggerFactory, _source.TimeProvider));
        _ownedCache = new SecretCache(store, options.ToCacheOptions(), _source.TimeProvider, _source.LoggerFactory?.CreateLogger<SecretCache>());
        return _ownedCache;
    }

    private SecretaryOptions ReadOptions()
    {
        var options = new SecretaryOptions();
        if (_builder is IConfiguration configuration)
        {
            configuration.GetSection(SecretaryOptions.SectionName).Bind(options);
        }
        else
        {
            var earlier = new ConfigurationBuilder();
            foreach (var source in _builder.Sources.Where(s => s is not SecretaryConfigurationSource))
            {
                earlier.Add(source);
            }

            var root = earlier.Build();
            try
            {
                root.GetSection(SecretaryOptions.SectionName).Bind(options);
            }
            finally
            {
                (root as IDisposable)?.Dispose();
            }
        }

        var problems = options.Validate();
        return problems.Count == 0
            ? options
            : throw new OptionsValidationException(Options.DefaultName, typeof(SecretaryOptions), [.. problems.Select(p => "Secretary: " + p)]);
    }

    private void StartWatching()
    {
        if (_watching || _cache is null || _disposed)
        {
            return;
        }

        _watching = true;
        if (_source.ReloadOnChange)
        {
            _cache.VersionChanged += OnVersionChanged;
        }

        if (_source.ReloadInterval is { } interval && interval > TimeSpan.Zero)
        {
            _timer = _source.TimeProvider.CreateTimer(static state => ((SecretaryConfigurationProvider)state!).ScheduleReload(), this, interval, interval);
        }
    }

    private void OnVersionChanged(object? sender, SecretVersionChangedEventArgs e)
    {
        if (e.Request.VersionId is not null || (e.Request.VersionStage is { } stage && stage != SecretRequest.CurrentStage))
        {
            return;
        }

        if (_ids.Contains(e.Request.SecretId, StringComparer.Ordinal) || _ids.Contains(e.SecretName, StringComparer.Ordinal))
        {
            ScheduleReload();
        }
    }

    private void ScheduleReload()
    {
        if (_disposed || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(ReloadAsync);
    }

    private async Task ReloadAsync()
    {
        var cache = _cache;
        if (cache is null || _disposed)
        {
            return;
        }

        try
        {
            await _reloadGate.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _pending, 0);
            var (data, versions) = await ReadAsync(cache).ConfigureAwait(false);
            var changed = versions.Count(v => !_versions.TryGetValue(v.Key, out var old) || old != v.Value);
            if (changed == 0 && versions.Count == _versions.Count && _loaded)
            {
                return;
            }

            Data = data;
            _versions = versions;
            _loaded = true;
            Log.Reloaded(_logger, changed, data.Count);
            OnReload();
        }
        catch (Exception ex)
        {
            Log.LoadFailed(_logger, true, ex.GetType().Name, Describe(ex));
        }
        finally
        {
            if (!_disposed)
            {
                _reloadGate.Release();
            }
        }
    }

    private async Task<(Dictionary<string, string?> Data, Dictionary<string, string> Versions)> ReadAsync(ISecretCache cache)
    {
        var reads = _ids.Select(id => cache.GetAsync(id).AsTask()).ToArray();
        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch
        {
            // Every failure is looked at below; the first one is thrown.
        }

        var failed = reads.Where(r => r.IsFaulted || r.IsCanceled).ToArray();
        if (failed.Length > 0)
        {
            for (var i = 0; i < reads.Length; i++)
            {
                if (reads[i].Exception?.InnerException is { } error)
                {
                    Log.SecretFailed(_logger, _ids[i], Describe(error));
                }
            }

            await failed[0].ConfigureAwait(false);
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var origins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < reads.Length; i++)
        {
            var secret = reads[i].Result;
            versions[_ids[i]] = secret.VersionId;
            AddSecret(data, origins, _ids[i], secret);
        }

        await AddParameterPathsAsync(cache, data, origins, versions).ConfigureAwait(false);
        return (data, versions);
    }

    private void AddSecret(Dictionary<string, string?> data, Dictionary<string, string> origins, string id, Secret secret)
    {
        var baseKey = BaseKey(id);
        if (secret.IsBinary)
        {
            Log.BinarySkipped(_logger, id);
            return;
        }

        if (secret.TryGetJson(out var root))
        {
            Flatten(data, origins, id, root, baseKey);
        }
        else
        {
            Add(data, origins, id, baseKey, secret.SecretString);
        }
    }

    private string BaseKey(string id)
    {
        string key;
        if (_source.SecretSections.TryGetValue(id, out var section))
        {
            key = section;
        }
        else
        {
            var name = !string.IsNullOrEmpty(_source.SecretIdPrefix) && id.StartsWith(_source.SecretIdPrefix, StringComparison.Ordinal)
                ? id[_source.SecretIdPrefix.Length..]
                : id;
            key = name.Replace('/', ConfigurationPath.KeyDelimiter[0]).Trim(ConfigurationPath.KeyDelimiter[0]);
        }

        return string.IsNullOrEmpty(_source.Section) ? key : ConfigurationPath.Combine(_source.Section, key).TrimEnd(ConfigurationPath.KeyDelimiter[0]);
    }

    private void Flatten(Dictionary<string, string?> data, Dictionary<string, string> origins, string id, JsonElement element, string key)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(data, origins, id, property.Value, Join(key, property.Name));
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(data, origins, id, item, Join(key, index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    index++;
                }

                break;
            case JsonValueKind.String:
                Add(data, origins, id, key, element.GetString());
                break;
            case JsonValueKind.Null:
                Add(data, origins, id, key, null);
                break;
            default:
                Add(data, origins, id, key, element.GetRawText());
                break;
        }
    }

    private static string Join(string key, string name) => key.Length == 0 ? name : key + ConfigurationPath.KeyDelimiter + name;

    private void Add(Dictionary<string, string?> data, Dictionary<string, string> origins, string id, string key, string? value)
    {
        if (_source.KeyMapper is { } mapper)
        {
            var mapped = mapper(id, key);
            if (string.IsNullOrEmpty(mapped))
            {
                return;
            }

            key = mapped;
        }

        if (origins.TryGetValue(key, out var origin))
        {
            switch (_source.DuplicateKeys)
            {
                case SecretaryDuplicateKeyBehavior.KeepFirst:
                    return;
                case SecretaryDuplicateKeyBehavior.Throw:
                    throw new InvalidOperationException(
                        $"The configuration key '{key}' comes from both '{origin}' and '{id}'. Set DuplicateKeys, a KeyMapper or a section per secret to tell them apart.");
            }
        }

        data[key] = value;
        origins[key] = id;
    }

    private static string Describe(Exception ex) => ex switch
    {
        SecretaryException secretary => $"{secretary.Category}: {secretary.Message}",
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => ex.Message,
    };

    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Debug, "Secretary configuration loaded {Secrets} secrets into {Keys} keys", EventName = "ConfigurationLoaded")]
        public static partial void Loaded(ILogger logger, int secrets, int keys);

        [LoggerMessage(111, LogLevel.Information, "Secretary configuration reloaded: {Changed} secrets changed version, {Keys} keys", EventName = "ConfigurationReloaded")]
        public static partial void Reloaded(ILogger logger, int changed, int keys);

        [LoggerMessage(112, LogLevel.Warning, "Secretary configuration load failed (reload: {IsReload}; the last values are kept): {ErrorType}: {Error}", EventName = "ConfigurationLoadFailed")]
        public static partial void LoadFailed(ILogger logger, bool isReload, string errorType, string error);

        [LoggerMessage(113, LogLevel.Warning, "Secretary configuration cannot read {SecretId}: {Error}", EventName = "ConfigurationSecretFailed")]
        public static partial void SecretFailed(ILogger logger, string secretId, string error);

        [LoggerMessage(114, LogLevel.Debug, "Secretary configuration skips the binary secret {SecretId}", EventName = "ConfigurationBinarySkipped")]
        public static partial void BinarySkipped(ILogger logger, string secretId);
    }
}
