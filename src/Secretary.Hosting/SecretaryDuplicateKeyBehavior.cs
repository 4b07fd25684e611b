namespace Secretary.Hosting;

/// <summary>What the Secretary configuration provider does when two secrets give the same configuration key.</summary>
public enum SecretaryDuplicateKeyBehavior
{
    /// <summary>The load fails with an error naming the key and both secrets (never a value).</summary>
    Throw,

    /// <summary>The value from the secret listed first wins.</summary>
    KeepFirst,

    /// <summary>The value from the secret listed last wins.</summary>
    KeepLast,
}
