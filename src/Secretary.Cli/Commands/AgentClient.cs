using System.Net;
using System.Text.Json;

namespace Secretary.Cli.Commands;

/// <summary>Reads through a running agent (Secretary's or the AWS Secrets Manager Agent), with the token from the agent's usual sources.</summary>
internal sealed class AgentClient : IDisposable
{
    private const string TokenHeader = "X-Aws-Parameters-Secrets-Token";
    private readonly HttpClient _http;

    public AgentClient(string url, string? tokenFile)
    {
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (ResolveToken(tokenFile) is { } token)
        {
            _http.DefaultRequestHeaders.Add(TokenHeader, token);
        }
    }

    public static string? ResolveToken(string? tokenFile)
    {
        if (!string.IsNullOrWhiteSpace(tokenFile))
        {
            return File.ReadAllText(tokenFile).Trim();
        }

        foreach (var variable in new[] { "SECRETARY_TOKEN", "AWS_TOKEN", "AWS_SESSION_TOKEN" })
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(value))
            {
                return value.StartsWith("file://", StringComparison.Ordinal) ? File.ReadAllText(value["file://".Length..]).Trim() : value;
            }
        }

        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (var candidate in new[] { runtime is null ? null : Path.Combine(runtime, "secretary", "token"), Path.Combine(home, ".secretary", "token") })
        {
            if (candidate is not null && File.Exists(candidate))
            {
                return File.ReadAllText(candidate).Trim();
            }
        }

        return null;
    }

    public async Task<JsonDocument> GetSecretAsync(string secretId, string? versionId, string? versionStage, CancellationToken cancellationToken)
    {
        var query = "secretsmanager/get?secretId=" + Uri.EscapeDataString(secretId)
            + (versionId is null ? string.Empty : "&versionId=" + Uri.EscapeDataString(versionId))
            + (versionStage is null ? string.Empty : "&versionStage=" + Uri.EscapeDataString(versionStage));
        return await SendAsync(query, secretId, cancellationToken).ConfigureAwait(false);
    }

    public Task<JsonDocument> GetStatsAsync(CancellationToken cancellationToken) => SendAsync("secrets-cache-stats", null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> SendAsync(string path, string? secretId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, $"The agent at {_http.BaseAddress} cannot be reached ({ex.HttpRequestError}); is `secretary serve` running?", innerException: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, $"The agent at {_http.BaseAddress} did not answer in time.", innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return JsonDocument.Parse(body);
            }

            string? type = null, message = null;
            try
            {
                using var error = JsonDocument.Parse(body);
                type = error.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null;
                message = error.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
            catch (JsonException)
            {
                message = null; // the AWS agent answers some errors in plain text
            }

            var status = (int)response.StatusCode;
            message = $"The agent answered {status}{(type is null ? string.Empty : " " + type)}: {message ?? response.ReasonPhrase}";
            throw (response.StatusCode, type) switch
            {
                (HttpStatusCode.Forbidden, _) => new SecretAccessDeniedException(secretId, message + " (check the token)", type, status),
                (_, "ResourceNotFoundException") => new SecretNotFoundException(secretId, message, type, status),
                (_, "AccessDeniedException" or "DecryptionFailure") => new SecretAccessDeniedException(secretId, message, type, status),
                (_, "InvalidRequestException") => new SecretRequestException(secretId, message, type, status),
                (HttpStatusCode.GatewayTimeout, _) => new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, message, type, status),
                (HttpStatusCode.BadGateway, _) => new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, message, type, status),
                (_, "ThrottlingException") => new SecretStoreUnavailableException(secretId, StoreFailureReason.Throttled, message, type, status),
                _ when status >= 500 => new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, message, type, status),
                _ => new SecretParameterException(secretId, message, type, status),
            };
        }
    }
}
