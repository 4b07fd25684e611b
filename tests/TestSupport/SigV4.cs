using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secretary.Testing;

/// <summary>
/// The one client-side SigV4 signer of the tests (header form, written from the AWS documentation): <see cref="Sign"/>
/// signs a whole request as a client would; <see cref="Authorization"/> gives the header for raw bytes the caller
/// controls (the fuzzer), signing host, x-amz-date and x-amz-target.
/// </summary>
public static class SigV4
{
    /// <summary>Adds X-Amz-Date and Authorization to <paramref name="request"/> (signing host, x-amz-date, x-amz-target and content-type when present).</summary>
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secretKey, string region, DateTimeOffset time, string service = "secretsmanager")
    {
        var amzDate = AmzDate(time);
        request.Headers.Remove("X-Amz-Date");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = request.RequestUri!.Authority,
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

        request.Headers.TryAddWithoutValidation(
            "Authorization",
            Header(request.Method.Method, request.RequestUri.AbsolutePath, request.RequestUri.Query.TrimStart('?'), headers, body, amzDate, accessKey, secretKey, region, service));
    }

    /// <summary>The Authorization header for <c>POST /</c> with these host, date and target headers and <paramref name="body"/>.</summary>
    public static string Authorization(string host, string amzDate, string target, ReadOnlySpan<byte> body, string region = "us-east-1", string accessKey = "test", string secretKey = "test", string service = "secretsmanager")
    {
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        return Header("POST", "/", string.Empty, headers, body, amzDate, accessKey, secretKey, region, service);
    }

    /// <summary>The X-Amz-Date form of <paramref name="time"/>.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The X-Amz-Date form of now (signatures are checked against the verifier's clock).</summary>
    public static string Now() => AmzDate(DateTimeOffset.UtcNow);

    private static string Header(string method, string path, string query, SortedDictionary<string, string> headers, ReadOnlySpan<byte> body, string amzDate, string accessKey, string secretKey, string region, string service)
    {
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder().Append(method).Append('\n').Append(path).Append('\n').Append(query).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={Convert.ToHexStringLower(Hmac(key, stringToSign))}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
