using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Secretary.Packaging.Tests.Support;

/// <summary>A <c>secretary serve --dev</c> process started by a test: its environment, its banner, reads through it.</summary>
public static partial class DevAgent
{
    /// <summary>The last line of the banner: once it is out, the agent listens and its token file is written.</summary>
    [GeneratedRegex(@"stats: ")]
    public static partial Regex BannerEnd();

    /// <summary>A home of its own (the generated token lands in it) and no token from the environment.</summary>
    public static Dictionary<string, string?> Environment(string home, IDictionary<string, string?>? baseEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(baseEnvironment ?? new Dictionary<string, string?>())
        {
            ["HOME"] = Directory.CreateDirectory(home).FullName,
            ["XDG_RUNTIME_DIR"] = null,
            ["SECRETARY_TOKEN"] = null,
            ["AWS_TOKEN"] = null,
            ["AWS_SESSION_TOKEN"] = null,
        };
        return environment;
    }

    /// <summary>Reads a secret from the agent whose banner is <paramref name="banner"/>, with the token file the banner names.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadSecretAsync(string banner, string secretId)
    {
        var url = Regex.Match(banner, @"agent: (http://\S+)").Groups[1].Value;
        var tokenFile = Regex.Match(banner, @"curl -H ""X-Aws-Parameters-Secrets-Token: \$\(cat (\S+)\)""").Groups[1].Value;
        Assert.True(url.Length > 0 && tokenFile.Length > 0, banner);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/secretsmanager/get?secretId={Uri.EscapeDataString(secretId)}");
        request.Headers.Add("X-Aws-Parameters-Secrets-Token", (await File.ReadAllTextAsync(tokenFile)).Trim());
        using var response = await http.SendAsync(request);
        return (response.StatusCode, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}
