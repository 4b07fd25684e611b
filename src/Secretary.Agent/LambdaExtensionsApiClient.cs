using System.Text;
using System.Text.Json;

namespace Secretary.Agent;

/// <summary>
/// The Lambda Extensions API as an external extension uses it (<c>http://$AWS_LAMBDA_RUNTIME_API/2020-01-01/extension/</c>):
/// <see cref="RegisterAsync"/> (<c>POST register</c> with <c>Lambda-Extension-Name</c>, for INVOKE and SHUTDOWN),
/// <see cref="NextEventAsync"/> (<c>GET event/next</c>, which blocks until Lambda has an event), and
/// <see cref="ReportInitErrorAsync"/> (<c>POST init/error</c>) when the extension cannot start.
/// </summary>
public sealed class LambdaExtensionsApiClient : IDisposable
{
    private const string Version = "2020-01-01";
    private readonly HttpClient _http;
    private string? _identifier;

    /// <summary>Creates a client for the API at <paramref name="runtimeApi"/> (<c>host:port</c>, the value of <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public LambdaExtensionsApiClient(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        if (!Uri.TryCreate("http://" + runtimeApi.Trim() + "/" + Version + "/extension/", UriKind.Absolute, out var baseAddress))
        {
            throw new AgentConfigurationException($"{LambdaExtensionSettings.RuntimeApiVariable} must be HOST:PORT (was '{runtimeApi}').");
        }

        // event/next is a long poll: it returns when Lambda has an event, however long that takes.
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Gets the identifier Lambda gave at registration, or null before it.</summary>
    public string? Identifier => _identifier;

    /// <summary>Registers as <paramref name="name"/> (the extension's file name in /opt/extensions) for the INVOKE and SHUTDOWN events.</summary>
    /// <exception cref="HttpRequestException">Lambda refused the registration or could not be reached.</exception>
    public async Task RegisterAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var request = new HttpRequestMessage(HttpMethod.Post, "register")
        {
            Content = new StringContent("{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Lambda-Extension-Name", name);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "register", cancellationToken).ConfigureAwait(false);
        _identifier = response.Headers.TryGetValues("Lambda-Extension-Identifier", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrEmpty(_identifier))
        {
            throw new HttpRequestException("The Lambda Extensions API answered the registration without a Lambda-Extension-Identifier header.");
        }
    }

    /// <summary>Waits for the next event; returns its type (<c>INVOKE</c> or <c>SHUTDOWN</c>).</summary>
    /// <exception cref="HttpRequestException">Lambda answered with an error, or with a body without an eventType.</exception>
    public async Task<string> NextEventAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "event/next");
        request.Headers.Add("Lambda-Extension-Identifier", RequireIdentifier());
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "event/next", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("eventType", out var type) && type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        throw new HttpRequestException("The Lambda Extensions API answered event/next without a JSON eventType.");
    }

    /// <summary>Tells Lambda the extension failed to start (<paramref name="errorType"/> such as <c>Extension.ConfigInvalid</c>), before exiting.</summary>
    public async Task ReportInitErrorAsync(string errorType, string message, CancellationToken cancellationToken = default)
    {
        var body = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "init/error") { Content = new ByteArrayContent(body.WrittenSpan.ToArray()) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("Lambda-Extension-Identifier", RequireIdentifier());
        request.Headers.Add("Lambda-Extension-Function-Error-Type", errorType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "init/error", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private string RequireIdentifier() =>
        _identifier ?? throw new InvalidOperationException("Register with the Lambda Extensions API first.");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"The Lambda Extensions API answered {call} with {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text)}", null, response.StatusCode);
        }
    }
}
