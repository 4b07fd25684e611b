namespace Secretary.Internals;

/// <summary>The default batch read: one call per request, a few at a time.</summary>
internal static class StoreBatching
{
    private const int MaxConcurrency = 4;

    public static async Task<IReadOnlyList<SecretBatchResult>> FanOutAsync(
        ISecretStore store, IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken)
    {
        var results = new SecretBatchResult[requests.Count];
        await Parallel.ForAsync(
            0,
            requests.Count,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    var secret = await store.GetSecretAsync(requests[i], ct).ConfigureAwait(false);
                    results[i] = SecretBatchResult.Success(requests[i], secret);
                }
                catch (SecretaryException ex)
                {
                    results[i] = SecretBatchResult.Failure(requests[i], ex);
                }
            }).ConfigureAwait(false);
        return results;
    }
}
