using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secretary.Reliability.Tests;

/// <summary>A minimal SigV4 signer for raw emulator requests (signs host, x-amz-date and x-amz-target), so the fuzzer controls every byte.</summary>
internal static class SigV4
{
    public static string Authorization(string host, string amzDate, string target, ReadOnlySpan<byte> body, string region = "us-east-1", string accessKey = "test", string secretKey = "test", string service = "secretsmanager")
    {
        const string signedHeaders = "host;x-amz-date;x-amz-target";
        var canonical = $"POST\n/\n\nhost:{host}\nx-amz-date:{amzDate}\nx-amz-target:{target.Trim()}\n\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
