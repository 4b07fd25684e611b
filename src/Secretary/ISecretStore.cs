using Secretary.Internals;

namespace Secretary;

/// <summary>
/// A backend that holds secrets: AWS Secrets Manager, a development file, an agent on the host.
/// Stores throw <see cref="SecretaryException"/> subclasses; transient failures as
/// <see cref="SecretStoreUnavailableException"/>, so the cache knows when to serve stale values.
/// </summary>
public interface ISecretStore
{
    /// <summary>The kind of store, for logs and metrics: <c>file</c>, <c>aws</c>, <c>agent</c>.</summary>
    string Kind { get; }

    /// <summary>The region that serves reads now, when the store has regions; shown in stats and metrics.</summary>
    string? Region => null;

    /// <summary>The most ids one batch call may carry; Secrets Manager's BatchGetSecretValue takes 20.</summary>
    int MaxBatchSize => 20;

    /// <summary>Reads one secret version.</summary>
    /// <exception cref="SecretaryException">The store failed; the subclass says how.</exception>
    Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <see cref="MaxBatchSize"/> secrets in one round trip where the store can.
    /// Returns one result per request, carrying that request, each a secret or a typed error.
    /// The default fans out to <see cref="GetSecretAsync"/> with bounded concurrency.
    /// </summary>
    Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default) =>
        StoreBatching.FanOutAsync(this, requests, cancellationToken);

    /// <summary>
    /// The store that serves <paramref name="secretId"/>: this store, or the member a composite store routes the id
    /// to (<see cref="CompositeSecretStore"/>). The cache batches per member (each with its own
    /// <see cref="MaxBatchSize"/>) and labels metrics and spans with the member's <see cref="Kind"/>.
    /// </summary>
    ISecretStore StoreFor(string secretId) => this;

    /// <summary>
    /// True when <paramref name="secret"/> is an answer to <paramref name="request"/>: by default its name, its ARN,
    /// or a partial ARN of it. Stores whose ids carry more than a name (a selector, a path prefix, a composite's kind
    /// prefix) say here which answers are theirs; the cache discards any other answer as a broken store's.
    /// </summary>
    bool Answers(SecretRequest request, Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Answers(request.SecretId);
    }
}
