using System.Text.Json;
using Secretary.Internals;

namespace Secretary;

/// <summary>
/// A development store: one JSON file mapping secret names to a string or a JSON object.
/// The file is re-read when it changes; a changed value gets a new version id (the previous
/// one stays readable as AWSPREVIOUS). Refuses to run in Production unless allowed.
/// </summary>
public sealed class FileSecretStore : ISecretStore
{
    private static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Snapshot _snapshot;

    /// <summary>Opens <paramref name="path"/>.</summary>
    public FileSecretStore(string path)
        : this(new FileSecretStoreOptions { Path = path })
    {
    }

    /// <summary>Opens the file of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">The environment is Production and <see cref="FileSecretStoreOptions.AllowInProduction"/> is not set.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SecretFormatException">The file is not a JSON object of strings and objects (the message names the file and the position).</exception>
    public FileSecretStore(FileSecretStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options.Path));
        var environment = options.EnvironmentName
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        if (string.Equals(environment, "Production", StringComparison.OrdinalIgnoreCase) && !options.AllowInProduction)
        {
            throw new InvalidOperationException(
                "The file secret store is for development and refuses to run in Production. Use the AWS store, or set AllowInProduction if you really mean it.");
        }

        _path = System.IO.Path.GetFullPath(options.Path);
        _time = options.TimeProvider ?? TimeProvider.System;
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException($"The secrets file '{_path}' does not exist.", _path);
        }

        _snapshot = Load(Snapshot.Empty, Stamp.Of(_path));
    }

    /// <inheritdoc />
    public string Kind => "file";

    /// <summary>The full path of the file.</summary>
    public string Path => _path;

    /// <summary>The names of the secrets in the file, as last read.</summary>
    public IReadOnlyCollection<string> Names => [.. Current().Secrets.Keys];

    /// <inheritdoc />
    public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Current();
        if (!snapshot.Secrets.TryGetValue(request.SecretId, out var versions))
        {
            throw new SecretNotFoundException(request.SecretId, $"The secret '{request.SecretId}' is not in the secrets file '{_path}'.");
        }

        var found = request switch
        {
            { VersionId: { } id } => versions.FirstOrDefault(v => v.VersionId == id),
            { VersionStage: SecretRequest.PreviousStage } => versions.Count > 1 ? versions[1] : null,
            { VersionStage: null or SecretRequest.CurrentStage } => versions[0],
            _ => null,
        };
        if (found is null || (request.VersionId is not null && request.VersionStage is not null && !found.VersionStages.Contains(request.VersionStage)))
        {
            throw new SecretNotFoundException(request.SecretId, $"The secret '{request.SecretId}' has no version {request}.");
        }

        return Task.FromResult(found);
    }

    /// <summary>Re-reads the file when its size or write time changed; keeps the last good contents when it is unreadable.</summary>
    private Snapshot Current()
    {
        Stamp stamp;
        try
        {
            stamp = Stamp.Of(_path);
        }
        catch (IOException ex)
        {
            throw new SecretStoreUnavailableException(null, StoreFailureReason.Network, $"The secrets file '{_path}' cannot be read; check that it exists.", innerException: ex);
        }

        var snapshot = Volatile.Read(ref _snapshot);
        if (stamp == snapshot.Stamp)
        {
            return snapshot;
        }

        lock (_gate)
        {
            if (stamp != _snapshot.Stamp)
            {
                try
                {
                    Volatile.Write(ref _snapshot, Load(_snapshot, stamp));
                }
                catch (SecretFormatException ex)
                {
                    // Half-written or broken: keep serving what we had; the next read tries again.
                    throw new SecretStoreUnavailableException(null, StoreFailureReason.ServerError, ex.Message, innerException: ex);
                }
                catch (IOException ex)
                {
                    throw new SecretStoreUnavailableException(null, StoreFailureReason.Network, $"The secrets file '{_path}' cannot be read; check that it exists.", innerException: ex);
                }
            }

            return _snapshot;
        }
    }

    private Snapshot Load(Snapshot previous, Stamp stamp)
    {
        var bytes = File.ReadAllBytes(_path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // Never the parser's own error: it quotes the offending bytes, which may be part of a value.
            throw new SecretFormatException(null, $"The secrets file '{_path}' is not valid UTF-8 text. Save it as UTF-8; the last good contents are kept.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, ParseOptions);
        }
        catch (JsonException ex)
        {
            // Only the position: the parser's own message can quote part of a value.
            throw new SecretFormatException(
                null, $"The secrets file '{_path}' is not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}. Fix the file; the last good contents are kept.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SecretFormatException(null, $"The secrets file '{_path}' must hold a JSON object mapping secret names to values.");
            }

            var now = _time.GetUtcNow();
            var secrets = new Dictionary<string, IReadOnlyList<Secret>>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!SecretIds.IsValid(property.Name) || !TextChecks.IsValidUtf16(property.Name))
                {
                    throw new SecretFormatException(null, $"The secrets file '{_path}' has an invalid secret name (1 to 2048 characters, no control characters).");
                }

                var value = ValueOf(property);
                if (!TextChecks.IsValidUtf16(value))
                {
                    throw new SecretFormatException(property.Name, $"The secrets file '{_path}' has text for '{property.Name}' that is not valid UTF-16 (an unpaired surrogate escape).");
                }

                secrets[property.Name] = Versions(previous, property.Name, value, now);
            }

            return new Snapshot(stamp, secrets);
        }
    }

    private string ValueOf(JsonProperty property)
    {
        try
        {
            return property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Object => Compact(property.Value), // compact, as a client would send it
                _ => throw new SecretFormatException(
                    property.Name, $"The secrets file '{_path}' has a {property.Value.ValueKind.ToString().ToLowerInvariant()} for '{property.Name}'; use a string or a JSON object."),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // Text the parser cannot read back as a string; its message can quote the value.
            throw new SecretFormatException(property.Name, $"The secrets file '{_path}' has text for '{property.Name}' that cannot be read as a string.");
        }
    }

    /// <summary>The JSON text of <paramref name="element"/> without whitespace (no reflection: AOT-safe).</summary>
    private static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static IReadOnlyList<Secret> Versions(Snapshot previous, string name, string value, DateTimeOffset now)
    {
        if (previous.Secrets.TryGetValue(name, out var versions) && versions[0].SecretString == value)
        {
            return versions;
        }

        var current = new Secret(name, Guid.NewGuid().ToString(), value, versionStages: [SecretRequest.CurrentStage], createdDate: now);
        if (versions is null)
        {
            return [current];
        }

        var old = versions[0];
        var demoted = new Secret(name, old.VersionId, old.SecretString, versionStages: [SecretRequest.PreviousStage], createdDate: old.CreatedDate);
        return [current, demoted];
    }

    private readonly record struct Stamp(long Length, DateTime WrittenUtc)
    {
        public static Stamp Of(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new FileNotFoundException($"The secrets file '{path}' does not exist.", path);
            }

            return new Stamp(info.Length, info.LastWriteTimeUtc);
        }
    }

    private sealed record Snapshot(Stamp Stamp, IReadOnlyDictionary<string, IReadOnlyList<Secret>> Secrets)
    {
        public static readonly Snapshot Empty = new(default, new Dictionary<string, IReadOnlyList<Secret>>());
    }
}
