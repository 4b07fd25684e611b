using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secretary.Emulator.Internals;

/// <summary>The unsigned, loopback-only admin API under <c>/_emulator/</c>.</summary>
internal sealed class AdminApi
{
    public const string Prefix = "/_emulator";

    /// <summary>The header every state-changing admin call must carry (any non-empty value); a cross-site form cannot set it.</summary>
    public const string AdminHeader = "X-Secretary-Admin";

    private readonly RequestCounter _counter;
    private readonly FaultInjector _faults;
    private readonly SecretStore _store;
    private readonly SecretOperations _operations;

    public AdminApi(RequestCounter counter, FaultInjector faults, SecretStore store, SecretOperations operations)
    {
        _counter = counter;
        _faults = faults;
        _store = store;
        _operations = operations;
    }

    public static bool Handles(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
        {
            await WriteAsync(context, 403, new JsonObject { ["error"] = "The admin API answers loopback clients only." }).ConfigureAwait(false);
            return;
        }

        var path = context.Request.Path.Value!.TrimEnd('/');
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && Refusal(context.Request) is { } refusal)
        {
            await WriteAsync(context, 403, new JsonObject { ["error"] = refusal }).ConfigureAwait(false);
            return;
        }

        switch (path)
        {
            case Prefix + "/health" when HttpMethods.IsGet(method):
                await WriteAsync(context, 200, new JsonObject { ["status"] = "ok", ["secrets"] = _store.Count }).ConfigureAwait(false);
                break;
            case Prefix + "/requests" when HttpMethods.IsGet(method):
                await WriteAsync(context, 200, CountsJson(_counter.Snapshot())).ConfigureAwait(false);
                break;
            case Prefix + "/rotations" when HttpMethods.IsGet(method):
                await WriteAsync(context, 200, RotationsJson(_operations.Rotations())).ConfigureAwait(false);
                break;
            case Prefix + "/requests/reset" when HttpMethods.IsPost(method):
                _counter.Reset();
                context.Response.StatusCode = 204;
                break;
            case Prefix + "/faults" when HttpMethods.IsGet(method):
                await WriteAsync(context, 200, JsonSerializer.SerializeToNode(_faults.Current, FaultsJsonContext.Default.EmulatorFaults)!).ConfigureAwait(false);
                break;
            case Prefix + "/faults" when HttpMethods.IsPost(method) || HttpMethods.IsPut(method):
                await SetFaultsAsync(context).ConfigureAwait(false);
                break;
            case Prefix + "/faults" when HttpMethods.IsDelete(method):
                _faults.Clear();
                context.Response.StatusCode = 204;
                break;
            case Prefix + "/reset" when HttpMethods.IsPost(method):
                _faults.Clear();
                _counter.Reset();
                _store.Clear();
                context.Response.StatusCode = 204;
                break;
            case Prefix + "/health" or Prefix + "/requests" or Prefix + "/rotations" or Prefix + "/requests/reset" or Prefix + "/faults" or Prefix + "/reset":
                await WriteAsync(context, 405, new JsonObject { ["error"] = $"{method} is not allowed on {path}." }).ConfigureAwait(false);
                break;
            default:
                await WriteAsync(context, 404, new JsonObject { ["error"] = $"No admin endpoint {path}." }).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Why a state-changing call is refused: a browser can send neither a JSON content type nor a custom header cross-site without a preflight, which the emulator never grants.</summary>
    private static string? Refusal(HttpRequest request)
    {
        var mediaType = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
        if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return $"Admin calls that change state need 'Content-Type: application/json' and '{AdminHeader}: 1'.";
        }

        return string.IsNullOrWhiteSpace(request.Headers[AdminHeader].ToString())
            ? $"Admin calls that change state need the header '{AdminHeader}: 1' (and 'Content-Type: application/json')."
            : null;
    }

    private static JsonObject RotationsJson(IReadOnlyList<RotationRecord> rotations)
    {
        var list = new JsonArray();
        foreach (var rotation in rotations)
        {
            list.Add((JsonNode)new JsonObject
            {
                ["arn"] = rotation.Arn,
                ["versionId"] = rotation.Token,
                ["function"] = rotation.Function,
                ["started"] = rotation.Started.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["finished"] = rotation.Finished.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["succeeded"] = rotation.Succeeded,
                ["failedStep"] = rotation.FailedStep,
                ["error"] = rotation.Error,
            });
        }

        return new JsonObject { ["rotations"] = list };
    }

    internal static JsonObject CountsJson(EmulatorRequestCounts counts)
    {
        var operations = new JsonObject();
        foreach (var (name, count) in counts.Operations)
        {
            operations[name] = count;
        }

        return new JsonObject
        {
            ["total"] = counts.Total,
            ["operations"] = operations,
            ["faulted"] = counts.Faulted,
            ["failed"] = counts.Failed,
        };
    }

    private async Task SetFaultsAsync(HttpContext context)
    {
        EmulatorFaults? faults;
        try
        {
            faults = await JsonSerializer.DeserializeAsync(context.Request.Body, FaultsJsonContext.Default.EmulatorFaults, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteAsync(context, 400, new JsonObject { ["error"] = "Invalid faults document: " + ex.Message }).ConfigureAwait(false);
            return;
        }

        if (faults is null)
        {
            await WriteAsync(context, 400, new JsonObject { ["error"] = "Send a JSON object." }).ConfigureAwait(false);
            return;
        }

        var problems = _faults.Set(faults);
        if (problems.Count > 0)
        {
            var errors = new JsonArray();
            foreach (var problem in problems)
            {
                errors.Add((JsonNode?)JsonValue.Create(problem));
            }

            await WriteAsync(context, 400, new JsonObject { ["error"] = "Invalid faults document.", ["problems"] = errors }).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, 200, JsonSerializer.SerializeToNode(_faults.Current, FaultsJsonContext.Default.EmulatorFaults)!).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
