using System.Runtime.InteropServices;

namespace Secretary.Agent.Internals;

/// <summary>
/// The few POSIX facts .NET has no API for: the effective user, the descriptor limit, and who owns a path (with
/// <c>statx</c>, whose layout is the same on every Linux architecture). Linux only; elsewhere the callers skip the checks.
/// </summary>
internal static partial class UnixNative
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int RlimitNoFile = 7;

    [System.Runtime.Versioning.SupportedOSPlatformGuard("linux")]
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId() => geteuid();

    /// <summary>The soft limit on open descriptors (.NET raises it to the hard limit at start), or null when unknown.</summary>
    public static long? DescriptorLimit()
    {
        if (!IsSupported || getrlimit(RlimitNoFile, out var limit) != 0)
        {
            return null;
        }

        return limit.Current > long.MaxValue ? long.MaxValue : (long)limit.Current;
    }

    /// <summary>The owner and mode of <paramref name="path"/> itself (a symbolic link is not followed), or null when it does not exist.</summary>
    public static (uint Owner, UnixFileMode Mode, bool IsSymbolicLink, bool IsDirectory)? Inspect(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == 2 ? null : throw new IOException($"Cannot inspect '{path}' (errno {error}).");
        }

        // struct statx: stx_uid at 20, stx_mode (u16) at 28.
        var owner = BitConverter.ToUInt32(buffer, 20);
        var mode = BitConverter.ToUInt16(buffer, 28);
        var type = mode & 0xF000;
        return (owner, (UnixFileMode)(mode & 0xFFF), type == 0xA000, type == 0x4000);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
