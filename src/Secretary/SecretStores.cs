using System.Collections.Concurrent;

namespace Secretary;

/// <summary>
/// Builds stores from a short text spec, as used by <c>SECRETARY_STORE</c> and the CLI's
/// <c>--store</c>: <c>file:PATH</c> is built in; other kinds are registered explicitly at start-up
/// (no reflection, so it works trimmed and under Native AOT): <c>AwsSecretStores.Register()</c>
/// from Secretary.Aws, <c>AgentSecretStore.Register()</c> from Secretary.Hosting. <c>AddSecretary()</c>
/// and the <c>secretary</c> command register every kind they ship. Specs joined by commas build one
/// <see cref="CompositeSecretStore"/>: <c>aws,ssm</c> reads secrets as they are named and parameters as <c>ssm:NAME</c>.
/// </summary>
public static class SecretStores
{
    /// <summary>The environment variable that names the default store.</summary>
    public const string EnvironmentVariable = "SECRETARY_STORE";

    // Kinds that other packages provide, and how to register them: named in the error when missing.
    private static readonly Dictionary<string, string> KnownProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws"] = "reference the Secretary.Aws package and call AwsSecretStores.Register() at start-up",
        ["agent"] = "reference the Secretary.Hosting package and call AgentSecretStore.Register() at start-up",
        ["ssm"] = "reference the Secretary.ParameterStore package and call ParameterStoreSecretStores.Register() at start-up",
    };

    private static readonly ConcurrentDictionary<string, Func<string?, ISecretStore>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = argument => new FileSecretStore(argument ?? throw new ArgumentException("The file store needs a path: file:PATH.")),
    };

    /// <summary>Registers (or replaces) the factory of a store kind. The factory gets the text after the first colon, or null.</summary>
    public static void Register(string kind, Func<string?, ISecretStore> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(factory);
        Factories[kind] = factory;
    }

    /// <summary>The kinds that can be built now.</summary>
    public static IReadOnlyCollection<string> Kinds => [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Builds the store a spec names, e.g. <c>file:samples/dev-secrets.json</c>, <c>aws</c>, or <c>aws,ssm</c> (a
    /// <see cref="CompositeSecretStore"/> of the stores the comma-separated specs name, the first one the primary).
    /// </summary>
    /// <exception cref="ArgumentException">The spec names no known kind, or names a kind twice.</exception>
    public static ISecretStore Create(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            var parts = spec.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Any(string.IsNullOrEmpty))
            {
                throw new ArgumentException($"The store spec '{spec}' has an empty part: join store specs with single commas, e.g. aws,ssm.");
            }

            var stores = new List<ISecretStore>();
            try
            {
                foreach (var part in parts)
                {
                    stores.Add(CreateOne(part));
                }

                return new CompositeSecretStore(stores[0], stores.Skip(1));
            }
            catch
            {
                foreach (var store in stores)
                {
                    (store as IDisposable)?.Dispose();
                }

                throw;
            }
        }

        return CreateOne(spec);
    }

    private static ISecretStore CreateOne(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        var argument = colon < 0 ? null : spec[(colon + 1)..];
        if (Factories.TryGetValue(kind, out var factory))
        {
            return factory(string.IsNullOrEmpty(argument) ? null : argument);
        }

        throw new ArgumentException(KnownProviders.TryGetValue(kind, out var how)
            ? $"The store kind '{kind}' is not registered: {how}."
            : $"Unknown store '{kind}'. Known stores: {string.Join(", ", Kinds)}; others are registered with SecretStores.Register.");
    }
}
