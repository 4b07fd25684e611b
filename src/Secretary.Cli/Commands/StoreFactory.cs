namespace Secretary.Cli.Commands;

/// <summary>
/// Builds the agent's store from its settings: <c>aws</c> (with region, fallbacks, endpoint and profile), <c>ssm</c> or
/// <c>ssm:PREFIX</c> (Parameter Store, same region and endpoint), any registered spec such as <c>file:PATH</c>, or several
/// joined by commas (<c>aws,ssm</c>: a <see cref="CompositeSecretStore"/>, the first the primary).
/// </summary>
internal static class StoreFactory
{
    public static ISecretStore Create(string spec, string? region, IList<string> fallbackRegions, string? endpointUrl, string? credentialsFile = null, string? profile = null)
    {
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            var stores = new List<ISecretStore>();
            try
            {
                foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries))
                {
                    stores.Add(Create(part, region, fallbackRegions, endpointUrl, credentialsFile, profile));
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

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? spec : spec[..colon];
        if (kind.Equals("aws", StringComparison.OrdinalIgnoreCase))
        {
            var specRegion = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..];
            var credentials = credentialsFile is null ? null : new CredentialsFile(credentialsFile, TimeProvider.System);
            return StoreOptions.CreateAws(region ?? specRegion, fallbackRegions, endpointUrl, credentials is null ? profile : null, credentials);
        }

        if (kind.Equals("ssm", StringComparison.OrdinalIgnoreCase))
        {
            var prefix = colon < 0 || colon == spec.Length - 1 ? null : spec[(colon + 1)..];
            var credentials = credentialsFile is null ? null : new CredentialsFile(credentialsFile, TimeProvider.System);
            return StoreOptions.CreateParameterStore(region, prefix, endpointUrl, credentials is null ? profile : null, credentials);
        }

        return SecretStores.Create(spec);
    }
}
