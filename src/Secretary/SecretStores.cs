using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Secretary;

/// <summary>
/// Builds stores from a short text spec, as used by <c>SECRETARY_STORE</c> and the CLI's
/// <c>--store</c>: <c>file:PATH</c> is built in; other kinds (<c>aws</c>, <c>agent</c>) are
/// registered by their packages with <see cref="Register"/>.
/// </summary>
public static class SecretStores
{
    /// <summary>The environment variable that names the default store.</summary>
    public const string EnvironmentVariable = "SECRETARY_STORE";

    // Kinds whose packages register themselves when present: kind -> "registration type, assembly".
    private static readonly Dictionary<string, string> KnownProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws"] = "Secretary.Aws.AwsSecretStores, Secretary.Aws",
        ["agent"] = "Secretary.Hosting.AgentSecretStore, Secretary.Hosting",
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

    /// <summary>Builds the store a spec names, e.g. <c>file:samples/dev-secrets.json</c> or <c>aws</c>.</summary>
    /// <exception cref="ArgumentException">The spec names no known kind.</exception>
    public static ISecretStore Create(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        var argument = colon < 0 ? null : spec[(colon + 1)..];
        if (!Factories.ContainsKey(kind))
        {
            TryRegisterKnownProvider(kind);
        }

        return Factories.TryGetValue(kind, out var factory)
            ? factory(string.IsNullOrEmpty(argument) ? null : argument)
            : throw new ArgumentException($"Unknown store '{kind}'. Known stores: {string.Join(", ", Kinds)} (aws needs the Secretary.Aws package, agent Secretary.Hosting).", nameof(spec));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "The provider names are constants; a trimmed app registers its stores itself.")]
    private static void TryRegisterKnownProvider(string kind)
    {
        if (KnownProviders.TryGetValue(kind, out var typeName)
            && Type.GetType(typeName, throwOnError: false)?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes) is { } register)
        {
            register.Invoke(null, null);
        }
    }
}
