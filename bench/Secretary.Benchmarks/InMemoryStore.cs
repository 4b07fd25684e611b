using Secretary;

namespace Secretary.Benchmarks;

/// <summary>A store that answers from a dictionary at once: benchmarks measure the cache, not a backend.</summary>
internal sealed class InMemoryStore : ISecretStore
{
    private readonly Dictionary<string, Secret> _secrets = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public string Kind => "memory";

    public InMemoryStore Add(string name, string value)
    {
        _secrets[name] = new Secret(name, Guid.NewGuid().ToString(), value);
        return this;
    }

    public InMemoryStore AddBinary(string name, byte[] value)
    {
        _secrets[name] = new Secret(name, Guid.NewGuid().ToString(), secretBinary: value);
        return this;
    }

    public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _secrets.TryGetValue(request.SecretId, out var secret)
            ? Task.FromResult(secret)
            : Task.FromException<Secret>(new SecretNotFoundException(request.SecretId));
    }
}
