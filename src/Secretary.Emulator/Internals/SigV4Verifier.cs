using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Secretary.Emulator.Internals;

/// <summary>
/// Server-side AWS Signature Version 4 verification (header form, <c>AWS4-HMAC-SHA256</c>): rebuilds the canonical
/// request, derives the signing key from the configured secret key and compares signatures in constant time.
/// Failures are answered 403 with the error type AWS uses.
/// </summary>
internal sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Terminator = "aws4_request";
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    private readonly string _accessKey;
    private readonly byte[] _secretKey;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxSkew;

    public SigV4Verifier(string accessKey, string secretKey, TimeProvider timeProvider, TimeSpan maxSkew)
    {
        _accessKey = accessKey;
        _secretKey = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        _timeProvider = timeProvider;
        _maxSkew = maxSkew;
    }

    /// <summary>Verifies one request; returns the region of its credential scope.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawPath">The request path as sent (still percent-encoded).</param>
    /// <param name="rawQuery">The query string without '?', as sent.</param>
    /// <param name="headers">Request headers; lookup must be case-insensitive.</param>
    /// <param name="body">The request body.</param>
    /// <param name="service">The signing name the credential scope must name (<c>secretsmanager</c>, <c>sts</c>).</param>
    public string Verify(string method, string rawPath, string rawQuery, Func<string, string?> headers, ReadOnlySpan<byte> body, string service)
    {
        var authorization = headers("Authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            throw Fail("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw Fail("IncompleteSignatureException", $"Unsupported authorization type; only {Algorithm} is accepted.");
        }

        var parts = ParseAuthorization(authorization[(Algorithm.Length + 1)..]);
        var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(p => !parts.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw Fail("IncompleteSignatureException", string.Join(" ", missing.Select(m => $"Authorization header requires '{m}' parameter.")) + $" Authorization={authorization.Split(' ')[0]}");
        }

        var credential = parts["Credential"].Split('/');
        if (credential.Length != 5)
        {
            throw Fail("IncompleteSignatureException", $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{string.Join('/', credential.Skip(1))}'");
        }

        var (accessKey, scopeDate, region, scopeService, terminator) = (credential[0], credential[1], credential[2], credential[3], credential[4]);
        if (!string.Equals(accessKey, _accessKey, StringComparison.Ordinal))
        {
            throw Fail("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var amzDateText = headers("X-Amz-Date");
        if (string.IsNullOrEmpty(amzDateText))
        {
            throw Fail("IncompleteSignatureException", "Authorization header requires existence of a 'X-Amz-Date' header.");
        }

        if (!DateTimeOffset.TryParseExact(amzDateText, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var amzDate))
        {
            throw Fail("IncompleteSignatureException", $"Date must be in ISO-8601 'basic format'. Got '{amzDateText}'.");
        }

        if (!string.Equals(scopeDate, amzDateText[..8], StringComparison.Ordinal))
        {
            throw Fail("InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDateText[..8]}', from '{amzDateText}'.");
        }

        if (!Regions.IsValid(region))
        {
            throw Fail("InvalidSignatureException", "Credential should be scoped to a valid region.");
        }

        if (!string.Equals(scopeService, service, StringComparison.Ordinal))
        {
            throw Fail("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        }

        if (!string.Equals(terminator, Terminator, StringComparison.Ordinal))
        {
            throw Fail("InvalidSignatureException", $"Credential should be scoped with a valid terminator: '{Terminator}', not '{terminator}'.");
        }

        var now = _timeProvider.GetUtcNow();
        if (amzDate < now - _maxSkew)
        {
            throw Fail("InvalidSignatureException", $"Signature expired: {amzDateText} is now earlier than {(now - _maxSkew).ToString(DateFormat, CultureInfo.InvariantCulture)} ({now.ToString(DateFormat, CultureInfo.InvariantCulture)} - {_maxSkew.TotalMinutes:0} min.)");
        }

        if (amzDate > now + _maxSkew)
        {
            throw Fail("InvalidSignatureException", $"Signature not yet current: {amzDateText} is still later than {(now + _maxSkew).ToString(DateFormat, CultureInfo.InvariantCulture)} ({now.ToString(DateFormat, CultureInfo.InvariantCulture)} + {_maxSkew.TotalMinutes:0} min.)");
        }

        var signedHeaders = parts["SignedHeaders"].Split(';');
        if (!signedHeaders.Contains("host", StringComparer.Ordinal))
        {
            throw Fail("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declaredHash = headers("X-Amz-Content-Sha256");
        var payloadHash = bodyHash;
        if (!string.IsNullOrEmpty(declaredHash))
        {
            if (declaredHash != UnsignedPayload && !string.Equals(declaredHash, bodyHash, StringComparison.OrdinalIgnoreCase))
            {
                throw Fail("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }

            payloadHash = declaredHash;
        }

        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(CanonicalPath(rawPath)).Append('\n')
            .Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            canonical.Append(name).Append(':').Append(CanonicalHeaderValue(headers(name) ?? string.Empty)).Append('\n');
        }

        canonical.Append('\n').Append(parts["SignedHeaders"]).Append('\n').Append(payloadHash);

        var scope = $"{scopeDate}/{region}/{service}/{Terminator}";
        var stringToSign = $"{Algorithm}\n{amzDateText}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = HMACSHA256.HashData(_secretKey, Encoding.UTF8.GetBytes(scopeDate));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign));

        byte[] provided;
        try
        {
            provided = Convert.FromHexString(parts["Signature"]);
        }
        catch (FormatException)
        {
            provided = [];
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, provided))
        {
            throw Fail(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return region;
    }

    private static Dictionary<string, string> ParseAuthorization(string text)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parts[item[..equals]] = item[(equals + 1)..];
            }
        }

        return parts;
    }

    internal static string CanonicalPath(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        var segments = rawPath.Split('/').Select(UriEncode);
        return string.Join('/', segments);
    }

    internal static string CanonicalQuery(string rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var pairs = rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair[..equals];
                var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                return (Name: UriEncode(Unescape(name)), Value: UriEncode(Unescape(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static string CanonicalHeaderValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX (upper case).</summary>
    internal static string UriEncode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static EmulatorException Fail(string type, string message) => new(type, message, 403);
}
