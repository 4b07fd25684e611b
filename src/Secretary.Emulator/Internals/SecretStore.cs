using System.Security.Cryptography;
using System.Text.Json;

namespace Secretary.Emulator.Internals;

/// <summary>
/// The emulator's secrets, per region, behind one lock. Every mutation is persisted (when a data file is set)
/// before the lock is released, so a call is answered only once its change is on disk.
/// </summary>
internal sealed class SecretStore
{
    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";


    private readonly Dictionary<string, Dictionary<string, SecretRecord>> _regions = new(StringComparer.Ordinal);
    private readonly string? _dataFile;
    private long _sequence;

    public SecretStore(string accountId, TimeProvider timeProvider, string? dataFile)
    {
        AccountId = accountId;
        TimeProvider = timeProvider;
        _dataFile = dataFile is null ? null : Path.GetFullPath(dataFile);
    }

    public Lock Sync { get; } = new();

    public string AccountId { get; }

    public TimeProvider TimeProvider { get; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>
    /// Loads the data file if it exists and removes temporary files a killed emulator left beside it. Returns the number of
    /// secrets loaded. A data file whose directory does not exist stops the start.
    /// </summary>
    public int Load()
    {
        if (_dataFile is null)
        {
            return 0;
        }

        var directory = Path.GetDirectoryName(_dataFile)!;
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The data file '{_dataFile}' cannot be used: its directory '{directory}' does not exist; create it or choose another path.");
        }

        foreach (var stale in Directory.EnumerateFiles(directory, TempPrefix() + "*.tmp"))
        {
            TryDelete(stale);
        }

        if (!File.Exists(_dataFile))
        {
            return 0;
        }

        DataFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllText(_dataFile), DataFileJsonContext.Default.DataFileDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The emulator data file '{_dataFile}' is not valid JSON ({ex.Message}); fix or delete it.", ex);
        }

        lock (Sync)
        {
            Apply(document);
            return document?.Secrets.Count ?? 0;
        }
    }

    /// <summary>The whole state as the data file holds it. Caller holds <see cref="Sync"/>.</summary>
    public byte[] Snapshot() => JsonSerializer.SerializeToUtf8Bytes(Document(), DataFileJsonContext.Default.DataFileDocument);

    /// <summary>Puts the state back as <see cref="Snapshot"/> took it. Caller holds <see cref="Sync"/>.</summary>
    public void Restore(byte[] snapshot) => Apply(JsonSerializer.Deserialize(snapshot, DataFileJsonContext.Default.DataFileDocument));

    private void Apply(DataFileDocument? document)
    {
        _regions.Clear();
        _sequence = document?.Sequence ?? 0;
        foreach (var secret in document?.Secrets ?? [])
        {
            Region(secret.Region)[secret.Name] = secret;
        }
    }

    private DataFileDocument Document() => new()
    {
        Sequence = _sequence,
        Secrets = [.. _regions.Values.SelectMany(r => r.Values).OrderBy(s => s.Sequence)],
    };

    public Dictionary<string, SecretRecord> Region(string region)
    {
        if (!_regions.TryGetValue(region, out var secrets))
        {
            secrets = new Dictionary<string, SecretRecord>(StringComparer.Ordinal);
            _regions[region] = secrets;
        }

        return secrets;
    }

    /// <summary>Removes secrets whose recovery window has ended. Caller holds <see cref="Sync"/>.</summary>
    public void PurgeExpired()
    {
        var now = Now;
        var changed = false;
        foreach (var secrets in _regions.Values)
        {
            foreach (var secret in secrets.Values.Where(s => s.DeletionDate is { } d && d <= now).ToList())
            {
                secrets.Remove(secret.Name);
                changed = true;
            }
        }

        if (changed)
        {
            Persist();
        }
    }

    /// <summary>Finds a secret by name, full ARN or partial ARN (the ARN without its 6-character suffix). Caller holds <see cref="Sync"/>.</summary>
    public SecretRecord? Find(string region, string secretId)
    {
        var secrets = Region(region);
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return secrets.GetValueOrDefault(secretId);
        }

        var parts = secretId.Split(':', 7);
        if (parts.Length != 7 || parts[2] != EmulatorConstants.ServiceName || parts[5] != "secret"
            || !string.Equals(parts[3], region, StringComparison.Ordinal) || !string.Equals(parts[4], AccountId, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var secret in secrets.Values)
        {
            if (string.Equals(secret.Arn, secretId, StringComparison.Ordinal))
            {
                return secret;
            }
        }

        return secrets.GetValueOrDefault(parts[6]);
    }

    public SecretRecord Require(string region, string secretId) => Find(region, secretId) ?? throw NotFound();

    public static EmulatorException NotFound() => EmulatorException.NotFound("Secrets Manager can't find the specified secret.");

    /// <summary>The ARN and name a secret id stands for when no such secret exists (an ARN as given, a name with a new suffix).</summary>
    public (string Arn, string Name) UnknownSecretIdentity(string region, string secretId)
    {
        if (secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            var name = secretId.Split(':', 7) is { Length: 7 } parts ? parts[6] : secretId;
            return (secretId, name);
        }

        return (Arn(region, secretId), secretId);
    }

    private string Arn(string region, string name) =>
        $"arn:aws:secretsmanager:{region}:{AccountId}:secret:{name}-{RandomNumberGenerator.GetString(SuffixAlphabet, 6)}";

    public SecretRecord NewSecret(string region, string name)
    {
        var now = Now;
        var secret = new SecretRecord
        {
            Region = region,
            Name = name,
            Arn = Arn(region, name),
            CreatedDate = now,
            LastChangedDate = now,
            Sequence = ++_sequence,
        };
        Region(region)[name] = secret;
        return secret;
    }

    public void Remove(SecretRecord secret) => Region(secret.Region).Remove(secret.Name);

    public IEnumerable<SecretRecord> All(string region) => Region(region).Values;

    /// <summary>Every secret of every region. Caller holds <see cref="Sync"/>.</summary>
    public IEnumerable<SecretRecord> AllRegions() => _regions.Values.SelectMany(r => r.Values);

    public int Count
    {
        get
        {
            lock (Sync)
            {
                return _regions.Values.Sum(r => r.Count);
            }
        }
    }

    /// <summary>Forgets every secret (and persists the empty state). Caller must not hold <see cref="Sync"/>.</summary>
    public void Clear()
    {
        lock (Sync)
        {
            _regions.Clear();
            Persist();
        }
    }

    /// <summary>Writes the whole state to the data file atomically: temp file, flush to disk, rename. Caller holds <see cref="Sync"/>.</summary>
    public void Persist()
    {
        if (_dataFile is null)
        {
            return;
        }

        var document = Document();
        var directory = Path.GetDirectoryName(_dataFile)!;
        var temp = Path.Combine(directory, TempPrefix() + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, TempFileOptions))
            {
                JsonSerializer.Serialize(stream, document, DataFileJsonContext.Default.DataFileDocument);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _dataFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new EmulatorException("InternalServiceError", "The emulator could not write its data file: " + ex.Message, 500);
        }
    }

    /// <summary>Temporary files are created readable by their owner only (the values are in clear text).</summary>
    private static FileStreamOptions TempFileOptions
    {
        get
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return options;
        }
    }

    /// <summary>The name every temporary file of this data file starts with: <c>.&lt;file&gt;.</c> (then a GUID and <c>.tmp</c>).</summary>
    private string TempPrefix() => "." + Path.GetFileName(_dataFile) + ".";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
