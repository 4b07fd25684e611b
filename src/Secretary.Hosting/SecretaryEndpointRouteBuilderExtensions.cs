using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Secretary;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Secretary's endpoints.</summary>
public static class SecretaryEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET</c> <paramref name="pattern"/> to the cache's stats document (the agent's <c>/secrets-cache-stats</c>
    /// JSON: counts, ages, hit ratio, stale values; never a secret name or value), for apps that do not run the agent.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The route. Default <c>/secrets-cache-stats</c>.</param>
    /// <returns>A builder to add conventions to, such as <c>RequireAuthorization()</c>.</returns>
    public static IEndpointConventionBuilder MapSecretsCacheStats(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern = "/secrets-cache-stats")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return endpoints.MapGet(pattern, static context =>
        {
            var cache = context.RequestServices.GetRequiredService<ISecretCache>();
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(cache.GetStats().ToJson(), context.RequestAborted);
        }).WithDisplayName("Secretary cache stats");
    }
}
