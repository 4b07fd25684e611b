using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Secretary.Emulator.Internals;

/// <summary>Reads a request body within the emulator's size limit, and the raw path and query SigV4 signs.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > EmulatorConstants.MaxRequestBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > EmulatorConstants.MaxRequestBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Verifies the SigV4 signature of <paramref name="context"/>'s request for <paramref name="service"/>; returns the scope's region.</summary>
    public static string VerifySignature(SigV4Verifier verifier, HttpContext context, string service, byte[] body)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "/";
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..];
        return verifier.Verify(request.Method, rawPath, rawQuery, name => HeaderValue(request, name), body, service);
    }

    private static string? HeaderValue(HttpRequest request, string name)
    {
        if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
        {
            return request.Host.Value;
        }

        var values = request.Headers[name];
        return values.Count == 0 ? null : string.Join(',', values.Select(v => v?.Trim()));
    }

    private static EmulatorException TooLarge() =>
        new("RequestEntityTooLargeException", $"The request body is larger than {EmulatorConstants.MaxRequestBodyBytes} bytes.", 413);
}
