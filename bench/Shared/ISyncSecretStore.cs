namespace Secretary.Bench;

/// <summary>
/// A store that can also answer on the calling thread, blocking it (as boto3's
/// <c>get_secret_value</c> does). The seed port uses it when present, so its callers block on
/// the store itself rather than on thread-pool work, which would starve a small pool.
/// </summary>
public interface ISyncSecretStore
{
    Secret GetSecret(SecretRequest request);
}
