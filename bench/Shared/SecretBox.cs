using System.ComponentModel;
using Secretary;

namespace Secretary.Bench;

/// <summary>
/// An immutable holder for a <see cref="Secret"/>, so HybridCache keeps the instance in its
/// in-memory tier instead of serializing it and handing back a copy on every hit (what it does
/// for types it cannot tell are immutable). This is what a careful HybridCache user would do.
/// </summary>
[ImmutableObject(true)]
public sealed class SecretBox(Secret secret)
{
    public Secret Secret { get; } = secret;
}
