namespace Secretary.Cli.Commands;

/// <summary>Builds the agent's store from its settings: <c>aws</c> (with region, fallbacks, endpoint and profile) or any registered spec such as <c>file:PATH</c>.</summary>
internal static class StoreFactory
{
    public static ISecretStore Create(string spec, string? region, IList<string> fallbackRegions, string? endpointUrl, string? credentialsFile = null, string? profile = null)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        if (kind.Equals("aws", StringComparison.OrdinalIgnoreCase))
        {
            var specRegion = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..];
            var credentials = credentialsFile is null ? null : new CredentialsFile(credentialsFile, TimeProvider.System);
            return StoreOptions.CreateAws(region ?? specRegion, fallbackRegions, endpointUrl, credentials is null ? profile : null, credentials);
        }

        return SecretStores.Create(spec);
    }
}
