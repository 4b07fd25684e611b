using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary>The options every command that reads secrets shares: which store, and how to reach it.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        Description = $"The store: file:PATH or aws (default: ${SecretStores.EnvironmentVariable}).",
    };

    public void AddTo(Command command) => command.Options.Add(Store);

    public ISecretStore CreateStore(ParseResult result)
    {
        var spec = result.GetValue(Store) ?? Environment.GetEnvironmentVariable(SecretStores.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new ArgumentException($"No store given: pass --store file:PATH or --store aws, or set {SecretStores.EnvironmentVariable}.");
        }

        return SecretStores.Create(spec);
    }
}
