using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Secretary.Hosting.Internals;
using Secretary.ParameterStore;

namespace Secretary.Hosting;

/// <summary>
/// Secrets as configuration: each JSON secret's keys become configuration keys (<c>surgicase/main</c> and
/// <c>COMPRESSION_MODE</c> give <c>surgicase:main:COMPRESSION_MODE</c>; nested objects and arrays flatten with <c>:</c>),
/// a plain string secret becomes one key. When a secret's version changes the provider reloads and raises its change
/// token, so <c>IOptionsMonitor</c> and <c>IConfiguration</c> readers see rotations. Parameter Store hierarchies load
/// beside them (<see cref="AddParameterPath"/>): <c>/myapp/prod/ConnectionStrings/Db</c> under <c>/myapp/prod/</c> is
/// <c>ConnectionStrings:Db</c>, the convention of <c>Amazon.Extensions.Configuration.SystemsManager</c>.
/// </summary>
public sealed class SecretaryConfigurationSource : IConfigurationSource
{
    /// <summary>Gets the secrets to load, in order (the order matters for <see cref="DuplicateKeys"/>).</summary>
    public IList<string> SecretIds { get; } = [];

    /// <summary>Gets per-secret target sections: the keys of a secret listed here go straight under its section (<c>surgicase/ses_keys</c> → <c>Ses</c> gives <c>Ses:ses_region</c>).</summary>
    public IDictionary<string, string> SecretSections { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the Parameter Store hierarchies to load, in order: every parameter below each path, recursively (GetParametersByPath, 10 a call).</summary>
    public IList<string> ParameterPaths { get; } = [];

    /// <summary>Gets per-path target sections: the keys of a hierarchy listed here go under its section (<c>/myapp/prod/</c> → <c>App</c> gives <c>App:ConnectionStrings:Db</c>).</summary>
    public IDictionary<string, string> ParameterPathSections { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the Parameter Store store that reads <see cref="ParameterPaths"/>.</summary>
    /// <value>Default null: the Parameter Store store of <see cref="Store"/> or of the cache's store (itself, or the <c>ssm</c> member of a composite store such as <c>aws,ssm</c>).</value>
    public AwsParameterStore? ParameterStore { get; set; }

    /// <summary>Gets or sets a section every key is placed under (<c>Secrets</c> gives <c>Secrets:surgicase:main:COMPRESSION_MODE</c>).</summary>
    /// <value>Default null: keys at the root.</value>
    public string? Section { get; set; }

    /// <summary>Gets or sets a prefix left out of secret ids when they become keys (<c>surgicase/</c> gives <c>main:COMPRESSION_MODE</c>).</summary>
    /// <value>Default null.</value>
    public string? SecretIdPrefix { get; set; }

    /// <summary>Gets or sets a function from the secret id and the default key to the key to use, or null to leave the value out.</summary>
    /// <value>Default null: the default keys.</value>
    public Func<string, string, string?>? KeyMapper { get; set; }

    /// <summary>Gets or sets what happens when two secrets give the same key (keys compare case-insensitively).</summary>
    /// <value>Default <see cref="SecretaryDuplicateKeyBehavior.Throw"/>.</value>
    public SecretaryDuplicateKeyBehavior DuplicateKeys { get; set; } = SecretaryDuplicateKeyBehavior.Throw;

    /// <summary>Gets or sets a value indicating whether a failed first load leaves the provider empty (logged) instead of throwing.</summary>
    /// <value>Default false.</value>
    public bool Optional { get; set; }

    /// <summary>Gets or sets how often the secrets are read through the cache to look for new versions (a read within the TTL costs no store call).</summary>
    /// <value>Default 1 minute. Null or zero: no polling (changes are still seen when the cache refreshes for other readers).</value>
    public TimeSpan? ReloadInterval { get; set; } = SecretaryHostingDefaults.ReloadInterval;

    /// <summary>Gets or sets a value indicating whether the provider reloads when the cache reports a new version of one of its secrets.</summary>
    /// <value>Default true.</value>
    public bool ReloadOnChange { get; set; } = true;

    /// <summary>Gets or sets the cache to read through, for example the one the host registers; shared, not disposed.</summary>
    /// <value>Default null: a cache of the provider's own over <see cref="Store"/>.</value>
    public ISecretCache? Cache { get; set; }

    /// <summary>Gets or sets the store a cache of the provider's own reads from.</summary>
    /// <value>Default null: the store the <c>Secretary</c> section of the configuration built so far names (the same settings <c>AddSecretary</c> reads).</value>
    public ISecretStore? Store { get; set; }

    /// <summary>Gets or sets the clock of the polling and of a cache of the provider's own.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets where the provider logs failed loads and reloads (ids and error categories, never values).</summary>
    /// <value>Default null: nowhere.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Adds a secret to load, optionally into a section of its own.</summary>
    /// <param name="secretId">The secret id.</param>
    /// <param name="section">The section its keys go under, or null for the default keys.</param>
    /// <returns>This source, for chaining.</returns>
    public SecretaryConfigurationSource AddSecret(string secretId, string? section = null)
    {
        global::Secretary.SecretIds.Validate(secretId);
        SecretIds.Add(secretId);
        if (section is not null)
        {
            SecretSections[secretId] = section;
        }

        return this;
    }

    /// <summary>Adds a Parameter Store hierarchy to load, optionally into a section of its own.</summary>
    /// <param name="path">The path, for example <c>/myapp/prod/</c> (it must begin with <c>/</c>).</param>
    /// <param name="section">The section its keys go under, or null for the keys relative to the path.</param>
    /// <returns>This source, for chaining.</returns>
    public SecretaryConfigurationSource AddParameterPath(string path, string? section = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"A parameter path begins with '/', for example /myapp/prod/ (was '{path}').", nameof(path));
        }

        ParameterPaths.Add(path);
        if (section is not null)
        {
            ParameterPathSections[path] = section;
        }

        return this;
    }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new SecretaryConfigurationProvider(this, builder);
    }
}
