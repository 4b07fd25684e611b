namespace Secretary;

/// <summary>A fleet backplane attached to a cache (e.g. Redis): the cache shows its state in the stats document.</summary>
public interface ISecretBackplane
{
    /// <summary>A word for the stats document: <c>connected</c>, <c>disconnected</c>, <c>connecting</c>.</summary>
    string State { get; }
}
