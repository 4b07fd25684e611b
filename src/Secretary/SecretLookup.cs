namespace Secretary;

/// <summary>A secret as the cache served it, with whether it was stale and how old it was.</summary>
/// <param name="Secret">The secret version served.</param>
/// <param name="IsStale">True when the store was failing and the value is past its TTL (fail-safe).</param>
/// <param name="Age">How long ago the value was read from the store.</param>
/// <param name="FromCache">True when no store call was waited for.</param>
public readonly record struct SecretLookup(Secret Secret, bool IsStale, TimeSpan Age, bool FromCache);
