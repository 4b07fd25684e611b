using System.Net.Sockets;
using System.Text;

namespace Secretary.Reliability.Tests;

/// <summary>Sends bytes as they are (no client-side validation or normalisation) and reads the status code, if any.</summary>
internal static class RawHttp
{
    public static async Task<(int? Status, string Response)> SendAsync(Uri server, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        using var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.WriteAsync(request, timeout.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            // reset by the server after its answer
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var status)
            ? (status, text)
            : (null, text);
    }
}
