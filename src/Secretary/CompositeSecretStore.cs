namespace Secretary;

/// <summary>
/// Several stores behind one cache, for example Secrets Manager and Parameter Store (<c>SECRETARY_STORE=aws,ssm</c>).
/// An id <c>KIND:ID</c> whose <c>KIND</c> is a member's <see cref="ISecretStore.Kind"/> is read from that member as
/// <c>ID</c>; any other id is read from the first member, the primary, as it is. So <c>ssm:/myapp/db/password</c> is
/// the parameter and <c>/myapp/db/password</c> the secret: the store kind is part of the cache key, and a parameter
/// and a secret of the same name are two entries that never meet.
/// </summary>
/// <remarks>
/// The prefix cannot be mistaken for a name: Secrets Manager names and Parameter Store names have no colon, and an
/// ARN begins with <c>arn:</c>, which is no store kind. The cache asks <see cref="StoreFor"/> which member serves an
/// id, so warm-up batches go to each member in that member's batch size, and metrics name the member's kind.
/// </remarks>
public sealed class CompositeSecretStore : ISecretStore, IDisposable
{
    private readonly ISecretStore[] _stores;

    /// <summary>Builds a composite store.</summary>
    /// <param name="primary">The store that reads ids without a kind prefix.</param>
    /// <param name="others">The other stores, each read through its kind prefix.</param>
    /// <exception cref="ArgumentException">No other store is given, or two stores are of the same kind.</exception>
    public CompositeSecretStore(ISecretStore primary, params IEnumerable<ISecretStore> others)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(others);
        _stores = [primary, .. others];
        if (_stores.Length < 2)
        {
            throw new ArgumentException("A composite store needs at least two stores.", nameof(others));
        }

        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in _stores)
        {
            ArgumentNullException.ThrowIfNull(store, nameof(others));
            if (string.IsNullOrEmpty(store.Kind) || store.Kind.Contains(':', StringComparison.Ordinal) || store.Kind.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The store kind '{store.Kind}' cannot be a prefix: it must be non-empty, without ':' or ','.", nameof(others));
            }

            if (!kinds.Add(store.Kind))
            {
                throw new ArgumentException($"Two stores of the kind '{store.Kind}': each kind may appear once in a composite store.", nameof(others));
            }
        }

        Kind = string.Join(",", _stores.Select(s => s.Kind));
    }

    /// <summary>Gets the members, the primary first.</summary>
    public IReadOnlyList<ISecretStore> Stores => _stores;

    /// <summary>Gets the members' kinds joined by commas, for example <c>aws,ssm</c>.</summary>
    public string Kind { get; }

    /// <summary>Gets the primary's region.</summary>
    public string? Region => _stores[0].Region;

    /// <summary>Gets the primary's batch size (the cache batches per member, with each member's own size).</summary>
    public int MaxBatchSize => _stores[0].MaxBatchSize;

    /// <summary>The id of <paramref name="id"/> in the member of kind <paramref name="kind"/>, as this store reads it: <c>KIND:ID</c>.</summary>
    public static string Address(string kind, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(id);
        return string.Concat(kind, ":", id);
    }

    /// <inheritdoc />
    public ISecretStore StoreFor(string secretId)
    {
        var (store, id) = Route(secretId);
        return store.StoreFor(id);
    }

    /// <inheritdoc />
    public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        var (store, id) = Route(request.SecretId);
        return store.GetSecretAsync(request with { SecretId = id }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The requests are grouped by member, each group is read with the member's batch read, and every result carries the request as it was given.</remarks>
    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new SecretBatchResult[requests.Count];
        foreach (var group in requests.Select((request, index) => (Request: request, Index: index, Route: Route(request.SecretId))).GroupBy(r => r.Route.Store))
        {
            var items = group.ToList();
            var local = items.Select(i => i.Request with { SecretId = i.Route.Id }).ToList();
            var answers = await group.Key.GetSecretsAsync(local, cancellationToken).ConfigureAwait(false);
            var byRequest = new Dictionary<SecretRequest, SecretBatchResult>();
            foreach (var answer in answers)
            {
                if (answer is not null)
                {
                    byRequest.TryAdd(answer.Request, answer);
                }
            }

            foreach (var item in items)
            {
                var request = item.Request with { SecretId = item.Route.Id };
                results[item.Index] = !byRequest.TryGetValue(request, out var answer)
                    ? SecretBatchResult.Failure(item.Request, new SecretStoreUnavailableException(item.Request.SecretId, StoreFailureReason.ServerError, $"The {group.Key.Kind} store's batch answer left this id out; the cache will retry with backoff."))
                    : answer.Secret is { } secret
                        ? SecretBatchResult.Success(item.Request, secret)
                        : SecretBatchResult.Failure(item.Request, answer.Error!);
            }
        }

        return results;
    }

    /// <inheritdoc />
    public bool Answers(SecretRequest request, Secret secret)
    {
        var (store, id) = Route(request.SecretId);
        return store.Answers(request with { SecretId = id }, secret);
    }

    /// <summary>Disposes the members that are disposable.</summary>
    public void Dispose()
    {
        foreach (var store in _stores)
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private (ISecretStore Store, string Id) Route(string secretId)
    {
        ArgumentNullException.ThrowIfNull(secretId);
        var colon = secretId.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var kind = secretId.AsSpan(0, colon);
            foreach (var store in _stores)
            {
                if (kind.SequenceEqual(store.Kind))
                {
                    return (store, secretId[(colon + 1)..]);
                }
            }
        }

        return (_stores[0], secretId);
    }
}
