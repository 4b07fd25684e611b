using Microsoft.AspNetCore.Http;

namespace Secretary.Emulator.Internals;

/// <summary>
/// The front door of every route: only loopback <c>Host</c> values (<c>127.0.0.1</c>, <c>localhost</c>, <c>[::1]</c>, with or
/// without a port) and, when a browser sends one, only a loopback <c>Origin</c>. A web page that rebinds its DNS name to
/// 127.0.0.1 still sends its own name as the Host, and a cross-site form or fetch sends its own Origin; both are refused.
/// </summary>
internal static class LoopbackGuard
{
    /// <summary>Answers the refusal and returns false when <paramref name="context"/>'s Host or Origin is not loopback.</summary>
    public static async Task<bool> AdmitsAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsLoopbackHost(request.Host))
        {
            await RefuseAsync(context, 400, $"The Host header '{Printable(request.Host.Value)}' is not a loopback name; the emulator answers only 127.0.0.1, localhost or [::1].").ConfigureAwait(false);
            return false;
        }

        var origin = request.Headers.Origin;
        if (origin.Count > 0 && !origin.All(IsLoopbackOrigin))
        {
            await RefuseAsync(context, 403, $"Requests from the origin '{Printable(origin.ToString())}' are refused; the emulator answers only loopback origins.").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    public static bool IsLoopbackHost(HostString host) => host.HasValue && IsLoopbackName(host.Host);

    /// <summary>An <c>http://</c> origin whose host is a loopback name (any port); <c>null</c> and other schemes are foreign.</summary>
    public static bool IsLoopbackOrigin(string? origin) =>
        origin is not null
        && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && uri.AbsolutePath == "/"
        && string.IsNullOrEmpty(uri.UserInfo)
        && IsLoopbackName(uri.Host);

    private static bool IsLoopbackName(string host) =>
        host is "127.0.0.1" or "[::1]" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>Keeps an attacker's header printable and short in the answer.</summary>
    private static string Printable(string? value)
    {
        value ??= string.Empty;
        var clean = new string([.. value.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 100 ? clean + "…" : clean;
    }

    private static async Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }
}
