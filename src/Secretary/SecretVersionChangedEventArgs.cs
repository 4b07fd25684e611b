namespace Secretary;

/// <summary>A refresh found a new version of a secret. Carries ids only, never a value.</summary>
public sealed class SecretVersionChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public SecretVersionChangedEventArgs(SecretRequest request, string secretName, string? previousVersionId, string versionId, bool remoteTriggered = false)
    {
        RemoteTriggered = remoteTriggered;
        Request = request;
        SecretName = secretName;
        PreviousVersionId = previousVersionId;
        VersionId = versionId;
    }

    /// <summary>The cache key that was refreshed (id and stage or version).</summary>
    public SecretRequest Request { get; }

    /// <summary>The secret's name as the store reported it.</summary>
    public string SecretName { get; }

    /// <summary>The version cached before, or null when nothing was cached.</summary>
    public string? PreviousVersionId { get; }

    /// <summary>The version now cached.</summary>
    public string VersionId { get; }

    /// <summary>True when the refresh was asked for by another instance (<see cref="ISecretCache.HandleRemoteChange"/>): a backplane need not announce it again.</summary>
    public bool RemoteTriggered { get; }
}
