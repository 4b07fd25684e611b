namespace Secretary;

/// <summary>Why a store was unavailable; the agent maps these to 502, 504 and the store's status.</summary>
public enum StoreFailureReason
{
    /// <summary>The connection failed or was dropped (I/O error).</summary>
    Network,

    /// <summary>The call did not complete within the store timeout.</summary>
    Timeout,

    /// <summary>The store throttled the call and retries did not get through.</summary>
    Throttled,

    /// <summary>The store answered with a server error (5xx).</summary>
    ServerError,
}
