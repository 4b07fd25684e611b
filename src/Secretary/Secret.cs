using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Secretary.Internals;

namespace Secretary;

/// <summary>
/// One version of a secret, immutable. A JSON value is parsed at most once per version, on
/// first JSON access, and shared by every reader. <see cref="ToString"/> never shows the value.
/// </summary>
public sealed class Secret
{
    private static readonly IReadOnlyList<string> CurrentStages = Array.AsReadOnly([SecretRequest.CurrentStage]);

    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>(StringComparer.Ordinal).AsReadOnly();

    private readonly byte[]? _binary;
    private readonly IReadOnlyDictionary<string, string> _attributes = NoAttributes;
    private SecretJson? _json;

    /// <summary>Creates a secret version. A binary value is copied, so the caller's buffer may be reused.</summary>
    /// <exception cref="ArgumentException">Both or neither of <paramref name="secretString"/> and <paramref name="secretBinary"/> are given.</exception>
    public Secret(
        string name,
        string versionId,
        string? secretString = null,
        ReadOnlyMemory<byte>? secretBinary = null,
        IReadOnlyList<string>? versionStages = null,
        string? arn = null,
        DateTimeOffset? createdDate = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(versionId);
        if ((secretString is null) == (secretBinary is null))
        {
            throw new ArgumentException("A secret version has either a string or a binary value.", nameof(secretString));
        }

        Name = name;
        VersionId = versionId;
        SecretString = secretString;
        _binary = secretBinary?.ToArray();
        VersionStages = versionStages is null ? CurrentStages : Array.AsReadOnly([.. versionStages]);
        Arn = arn;
        CreatedDate = createdDate;
    }

    /// <summary>The secret's friendly name.</summary>
    public string Name { get; }

    /// <summary>The secret's ARN, when the store knows it.</summary>
    public string? Arn { get; }

    /// <summary>The version's unique id.</summary>
    public string VersionId { get; }

    /// <summary>The staging labels attached to this version when it was read.</summary>
    public IReadOnlyList<string> VersionStages { get; }

    /// <summary>When the version was created, when the store knows it.</summary>
    public DateTimeOffset? CreatedDate { get; }

    /// <summary>The string value, or null for a binary secret.</summary>
    public string? SecretString { get; }

    /// <summary>The binary value, or null for a string secret.</summary>
    public ReadOnlyMemory<byte>? SecretBinary => _binary is null ? default(ReadOnlyMemory<byte>?) : new ReadOnlyMemory<byte>(_binary);

    /// <summary>True when the value is binary.</summary>
    public bool IsBinary => _binary is not null;

    /// <summary>
    /// False when the string value is not valid UTF-16 (it holds an unpaired surrogate): such text
    /// cannot be encoded for any client, so the cache refuses it as a format error.
    /// </summary>
    internal bool HasValidText => SecretString is null || TextChecks.IsValidUtf16(SecretString);

    /// <summary>
    /// True when this secret is an answer for <paramref name="secretId"/>: its name, its ARN, or a
    /// partial ARN of it (the ARN without the six random characters Secrets Manager appends).
    /// </summary>
    internal bool Answers(string secretId)
    {
        if (secretId == Name || secretId == Arn)
        {
            return true;
        }

        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        if (Arn is null)
        {
            // A store that knows no ARNs: the resource part of the requested ARN must name this secret.
            var resource = secretId[(secretId.LastIndexOf(":secret:", StringComparison.Ordinal) is var at and >= 0 ? at + 8 : 0)..];
            return resource == Name || (resource.Length == Name.Length + 7 && resource.StartsWith(Name, StringComparison.Ordinal) && resource[Name.Length] == '-');
        }

        return Arn.Length == secretId.Length + 7 && Arn.StartsWith(secretId, StringComparison.Ordinal) && Arn[secretId.Length] == '-';
    }

    /// <summary>
    /// What the store reports of this version beyond the members every store has, by the store's own member names;
    /// empty for Secrets Manager and the file store. Parameter Store sets <c>Type</c> (String, StringList,
    /// SecureString), <c>DataType</c>, and <c>Selector</c> and <c>SourceResult</c> when the service sent them.
    /// Never the value.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes
    {
        get => _attributes;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _attributes = value.Count == 0 ? NoAttributes : new Dictionary<string, string>(value, StringComparer.Ordinal).AsReadOnly();
        }
    }

    /// <summary>The number of top-level keys when the value is a JSON object; otherwise null.</summary>
    public int? KeyCount => Json.Values?.Count;

    private SecretJson Json
    {
        get
        {
            var json = Volatile.Read(ref _json);
            if (json is null)
            {
                json = SecretJson.Parse(SecretString);
                json = Interlocked.CompareExchange(ref _json, json, null) ?? json;
            }

            return json;
        }
    }

    /// <summary>Gets the value as a JSON object, parsed once per version.</summary>
    /// <returns>False when the value is binary or not a JSON object.</returns>
    public bool TryGetJson(out JsonElement root)
    {
        var json = Json;
        root = json.Root;
        return json.Values is not null;
    }

    /// <summary>Gets the value as a JSON object.</summary>
    /// <exception cref="SecretFormatException">The value is binary or not a JSON object.</exception>
    public JsonElement GetJson() =>
        TryGetJson(out var root) ? root : throw Json.FormatError(Name);

    /// <summary>Gets one top-level key of a JSON object value: strings as they are, other JSON values as their JSON text.</summary>
    /// <returns>False when the value is not a JSON object, or has no such key, or the key is JSON null.</returns>
    public bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var values = Json.Values;
        if (values is not null && values.TryGetValue(key, out value))
        {
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Gets one top-level key of a JSON object value.</summary>
    /// <exception cref="SecretFormatException">The value is not a JSON object, or has no such key (the message names the key, never the value).</exception>
    public string GetValue(string key)
    {
        if (TryGetValue(key, out var value))
        {
            return value;
        }

        var json = Json;
        throw json.Values is null
            ? json.FormatError(Name, key)
            : new SecretFormatException(Name, $"The secret '{Name}' has no key '{key}'. Check the key's spelling and case.", key);
    }

    /// <summary>Binds the JSON value to <typeparamref name="T"/> (a new instance per call, so callers may mutate it).</summary>
    /// <exception cref="SecretFormatException">The value is not JSON or does not bind to <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("JSON binding may need types that trimming removes; pass a JsonTypeInfo instead.")]
    [RequiresDynamicCode("JSON binding may need runtime code generation; pass a JsonTypeInfo instead.")]
    public T Bind<T>(JsonSerializerOptions? options = null)
    {
        var root = GetJson();
        try
        {
            return root.Deserialize<T>(options ?? SecretJson.BindingOptions)
                ?? throw new SecretFormatException(Name, $"The secret '{Name}' bound to null as {typeof(T).Name}.");
        }
        catch (JsonException ex)
        {
            // JsonException messages can quote the offending token; keep only the path.
            throw new SecretFormatException(
                Name, $"The secret '{Name}' does not bind to {typeof(T).Name} at '{ex.Path ?? "$"}'.", ex.Path);
        }
    }

    /// <summary>Names the secret and version, never the value.</summary>
    public override string ToString() => $"Secret {Name} (version {VersionId})";
}
