namespace Secretary.Agent.Internals;

/// <summary>
/// The agent's Unix-domain socket: its directory is the agent user's and writable by nobody else (created 0700), a
/// stale socket of ours is replaced, anything else at the path is refused, and once bound the socket is made 0660
/// (the agent's user and group may connect).
/// </summary>
internal static class UnixSocketListener
{
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public static void Prepare(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new AgentConfigurationException($"unix_socket '{path}' has no directory.");
        PrivateFiles.EnsurePrivateDirectory(directory, allowOthersToEnter: true);
        if (UnixNative.IsSupported && UnixNative.Inspect(path) is { } existing)
        {
            if (existing.IsSymbolicLink || existing.IsDirectory || existing.Owner != UnixNative.EffectiveUserId())
            {
                throw new AgentConfigurationException($"'{path}' exists and is not a socket of this user's; remove it or choose another unix_socket.");
            }

            File.Delete(path); // our own socket, left by an agent that did not stop cleanly
        }
    }

    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, SocketMode);
        }
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone, or the directory was changed under us: nothing to clean up.
        }
    }
}
