using System.Globalization;
using System.Security.Cryptography;

namespace Secretary.Agent.Internals;

/// <summary>
/// Files only the agent's user may touch: a directory that is the user's own and 0700 (created so, refused otherwise),
/// and files written there under a fresh name (<c>O_CREAT|O_EXCL</c>, which never follows a planted link) then renamed
/// into place (a rename replaces a link at the target instead of writing through it).
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="directory"/> 0700, or checks that the existing one is a directory of ours, 0700 or tighter
    /// (with <paramref name="allowOthersToEnter"/>: that nobody else may write to it; reading and entering are allowed).
    /// </summary>
    /// <exception cref="AgentConfigurationException">It is a link, another user's, or open to other users.</exception>
    public static void EnsurePrivateDirectory(string directory, bool allowOthersToEnter = false)
    {
        if (!UnixNative.IsSupported)
        {
            Directory.CreateDirectory(directory);
            return;
        }

        if (UnixNative.Inspect(directory) is null)
        {
            var parent = Path.GetDirectoryName(directory);
            if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent);
            }

            try
            {
                Directory.CreateDirectory(directory, OwnerOnly);
            }
            catch (IOException ex)
            {
                throw new AgentConfigurationException($"Cannot create the private directory '{directory}': {ex.Message}", ex);
            }
        }

        var found = UnixNative.Inspect(directory)
            ?? throw new AgentConfigurationException($"The private directory '{directory}' vanished while it was being created.");
        var me = UnixNative.EffectiveUserId();
        if (found.IsSymbolicLink || !found.IsDirectory)
        {
            throw new AgentConfigurationException($"'{directory}' is not a directory (it is a link or a file); remove it so the agent can create its private directory there.");
        }

        if (found.Owner != me)
        {
            throw new AgentConfigurationException(
                $"The directory '{directory}' belongs to uid {found.Owner}, not to this user (uid {me}); another user could replace what the agent writes there. Remove it.");
        }

        var forbidden = allowOthersToEnter ? UnixFileMode.GroupWrite | UnixFileMode.OtherWrite : (UnixFileMode)0b000_111_111;
        if ((found.Mode & forbidden) != 0)
        {
            throw new AgentConfigurationException(
                $"The directory '{directory}' has mode {Convert.ToString((int)found.Mode, 8)}: other users could replace what the agent writes there. chmod 700 it (and check what it holds).");
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> 0600 through a fresh temporary name and a rename.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = $"{path}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLower(CultureInfo.InvariantCulture)}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
