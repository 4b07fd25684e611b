using System.Net.Http.Headers;
using System.Text.Json;

namespace Secretary.Emulator.Internals;

/// <summary>A rotation function served over HTTP on loopback: each step's event is POSTed as JSON; any 2xx answer is success.</summary>
internal sealed class HttpRotationFunction : RotationFunction
{
    private const int MaxErrorLength = 2000;

    private readonly Uri _target;
    private readonly HttpClient _http;

    public HttpRotationFunction(string name, Uri target, HttpClient http)
        : base(name)
    {
        _target = target;
        _http = http;
    }

    public override async Task<string?> InvokeAsync(RotationEvent rotationEvent, string region, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(rotationEvent, RotationEventJsonContext.Default.RotationEvent));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await _http.PostAsync(_target, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return $"HTTP {(int)response.StatusCode}: {(body.Length > MaxErrorLength ? body[..MaxErrorLength] : body)}";
        }
        catch (HttpRequestException ex)
        {
            return $"The function at {_target} could not be reached: {ex.Message}";
        }
    }
}
