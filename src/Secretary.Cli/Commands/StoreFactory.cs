namespace Secretary.Cli.Commands;

/// <summary>Builds the agent's store from its settings (the AWS store's own settings come with the AWS integration).</summary>
internal static class StoreFactory
{
    public static ISecretStore Create(string spec, string? region, IList<string> fallbackRegions, string? endpointUrl)
    {
        _ = region;
        _ = fallbackRegions;
        _ = endpointUrl;
        return SecretStores.Create(spec);
    }
}
