using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secretary.Emulator.Tests.Support;

/// <summary>A small client-side SigV4 signer for tests (header form), written from the AWS documentation.</summary>
internal static class SigV4Signer
{
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secretKey, string region, DateTimeOffset time, string service = "secretsmanager")
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var host = request.RequestUri!.Authority;
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        if (request.Headers.TryGetValues("X-Amz-Target", out var target))
        {
            headers["x-amz-target"] = target.Single();
        }

        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers["content-type"] = contentType.ToString();
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(request.RequestUri.AbsolutePath).Append('\n')
            .Append(request.RequestUri.Query.TrimStart('?')).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(body)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
