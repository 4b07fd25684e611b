// A small closed-loop HTTP/1.1 load client for the agent, over TCP or a Unix-domain socket (wrk has no Unix sockets):
// N keep-alive connections, each sending one request and reading its answer in turn, for a fixed time.
// Usage: dotnet run scripts/agent-load-client.cs -- (--tcp PORT | --unix PATH) --path P --token T [--connections 64] [--seconds 10]
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

string? unix = null, path = "/ping", token = "";
int port = 0, connections = 64, seconds = 10;
for (var i = 0; i < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--tcp": port = int.Parse(args[i + 1]); break;
        case "--unix": unix = args[i + 1]; break;
        case "--path": path = args[i + 1]; break;
        case "--token": token = args[i + 1]; break;
        case "--connections": connections = int.Parse(args[i + 1]); break;
        case "--seconds": seconds = int.Parse(args[i + 1]); break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nX-Aws-Parameters-Secrets-Token: {token}\r\n\r\n");
var stop = Stopwatch.StartNew();
var until = TimeSpan.FromSeconds(seconds);
var latencies = new List<double>[connections];
long ok = 0, bad = 0;

async Task RunAsync(int index)
{
    using var socket = unix is null ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true } : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    await socket.ConnectAsync(unix is null ? new IPEndPoint(IPAddress.Loopback, port) : new UnixDomainSocketEndPoint(unix));
    var buffer = new byte[64 * 1024];
    var mine = latencies[index] = new List<double>(100_000);
    while (stop.Elapsed < until)
    {
        var started = Stopwatch.GetTimestamp();
        await socket.SendAsync(request);
        int filled = 0, headerEnd = -1, length = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled));
            if (read == 0) throw new IOException("closed");
            filled += read;
            if (headerEnd < 0)
            {
                headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (headerEnd >= 0)
                {
                    var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                    var at = head.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase);
                    length = int.Parse(head.AsSpan(at + 16, head.IndexOf('\r', at) - at - 16));
                    if (head[9] == '2') Interlocked.Increment(ref ok); else Interlocked.Increment(ref bad);
                }
            }

            if (headerEnd >= 0 && filled >= headerEnd + 4 + length) break;
        }

        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(() => RunAsync(i))));
var all = latencies.SelectMany(l => l).Order().ToArray();
Console.WriteLine($"{(ok + bad) / stop.Elapsed.TotalSeconds:0} {all[(int)(all.Length * 0.99)]:0.000} {bad}");
return 0;
