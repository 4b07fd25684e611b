using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Secretary.Hosting.Internals;

/// <summary>
/// Opens the connection to the agent and, before a byte (the token) is sent, checks who listens: over a Unix-domain
/// socket the peer's credentials (<c>SO_PEERCRED</c>), over loopback TCP on Linux the owner of the agent's end of this
/// very connection (<c>/proc/net/tcp</c>). Anyone else, a user who bound the port while the agent was down, is refused.
/// The expected user is the agent's (by default this process's own); root is always accepted.
/// </summary>
internal sealed class AgentPeer(string? unixSocket, uint? expectedUser)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The user the agent must run as, or null when nothing is checked (not Linux).</summary>
    public uint? ExpectedUser { get; } = expectedUser ?? EffectiveUserId();

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        Socket socket;
        if (unixSocket is not null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(unixSocket), cancellationToken).ConfigureAwait(false);
                Check(socket, PeerOfUnixSocket(socket), unixSocket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new NetworkStream(socket, ownsSocket: true);
        }

        socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            if (socket.RemoteEndPoint is IPEndPoint remote && IPAddress.IsLoopback(Normal(remote.Address)))
            {
                Check(socket, OwnerOfPeer((IPEndPoint)socket.LocalEndPoint!, remote), $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetworkStream(socket, ownsSocket: true);
    }

    private void Check(Socket socket, uint? owner, string where)
    {
        if (ExpectedUser is not { } expected || owner is not { } actual || actual == expected || actual == 0)
        {
            return;
        }

        socket.Dispose();
        throw new AgentIdentityException(
            $"The listener at {where} runs as uid {actual}, not as the agent's user (uid {expected}): it is not the agent, so the token was not sent. "
            + "If the agent runs as another user, set Agent:AgentUser (secretary: --agent-user).");
    }

    private static uint? PeerOfUnixSocket(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return length >= 8 ? BitConverter.ToUInt32(credentials[4..8]) : null;
    }

    /// <summary>The owner of the other end of this connection: the row of <c>/proc/net/tcp</c> or <c>tcp6</c> whose local end is our remote one and whose remote end is us.</summary>
    internal static uint? OwnerOfPeer(IPEndPoint local, IPEndPoint remote)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var us = new IPEndPoint(Normal(local.Address), local.Port);
        var them = new IPEndPoint(Normal(remote.Address), remote.Port);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 7 && Parse(fields[1]) is { } rowLocal && Parse(fields[2]) is { } rowRemote
                    && rowLocal.Equals(them) && rowRemote.Equals(us)
                    && uint.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                {
                    return uid;
                }
            }
        }

        // Not found: the agent's end is in another network namespace, which a local squatter cannot be in.
        return null;
    }

    /// <summary>A <c>/proc/net/tcp</c> address: the IP in the kernel's byte order (32-bit words, little-endian here), then the port.</summary>
    private static IPEndPoint? Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var hex = text.AsSpan(0, colon);
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < bytes.Length / 4; word++)
        {
            var value = uint.Parse(hex.Slice(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), BitConverter.IsLittleEndian ? value : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value));
        }

        return new IPEndPoint(Normal(new IPAddress(bytes)), port);
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The uid of a user name or number, from the password database; null when there is none.</summary>
    public static uint? UserId(string user)
    {
        if (uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return uid;
        }

        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == user && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uid))
            {
                return uid;
            }
        }

        return null;
    }

    /// <summary>This process's effective uid (the second field of <c>Uid:</c> in <c>/proc/self/status</c>), or null off Linux.</summary>
    private static uint? EffectiveUserId()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 1 && uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
            }
        }

        return null;
    }
}
