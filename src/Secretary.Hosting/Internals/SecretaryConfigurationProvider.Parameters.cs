using Microsoft.Extensions.Configuration;
using Secretary.ParameterStore;

namespace Secretary.Hosting.Internals;

/// <summary>
/// Parameter Store hierarchies as configuration: every parameter below a path (GetParametersByPath, recursive),
/// keyed by its name relative to the path with <c>/</c> as <c>:</c>. Each parameter's version is tracked as a
/// secret's is, so a changed, added or deleted parameter reloads the provider on the next poll.
/// </summary>
internal sealed partial class SecretaryConfigurationProvider
{
    private async Task AddParameterPathsAsync(ISecretCache cache, Dictionary<string, string?> data, Dictionary<string, string> origins, Dictionary<string, string> versions)
    {
        if (_source.ParameterPaths.Count == 0)
        {
            return;
        }

        var store = ParameterStoreFor(cache)
            ?? throw new InvalidOperationException("Parameter paths need a Parameter Store store: set ParameterStore, or use the ssm store (Secretary:Store = ssm, or aws,ssm with secrets).");
        foreach (var path in _source.ParameterPaths.Distinct(StringComparer.Ordinal))
        {
            var root = path.EndsWith('/') ? path : path + "/";
            foreach (var parameter in await store.GetParametersByPathAsync(path, recursive: true).ConfigureAwait(false))
            {
                versions["ssm-path:" + parameter.Name] = parameter.VersionId;
                var relative = parameter.Name.StartsWith(root, StringComparison.Ordinal) ? parameter.Name[root.Length..] : parameter.Name.TrimStart('/');
                var key = relative.Replace('/', ConfigurationPath.KeyDelimiter[0]);
                if (_source.ParameterPathSections.TryGetValue(path, out var section))
                {
                    key = ConfigurationPath.Combine(section, key);
                }
                else if (!string.IsNullOrEmpty(_source.Section))
                {
                    key = ConfigurationPath.Combine(_source.Section, key);
                }

                Add(data, origins, path, key, parameter.SecretString);
            }
        }
    }

    private AwsParameterStore? ParameterStoreFor(ISecretCache cache) =>
        _source.ParameterStore ?? ParameterStoreIn(_source.Store ?? _ownedStore ?? (cache as SecretCache)?.Store);

    private static AwsParameterStore? ParameterStoreIn(ISecretStore? store) => store switch
    {
        AwsParameterStore parameters => parameters,
        CompositeSecretStore composite => composite.Stores.OfType<AwsParameterStore>().FirstOrDefault(),
        _ => null,
    };
}
