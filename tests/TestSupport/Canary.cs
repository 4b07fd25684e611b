using System.Security.Cryptography;
using System.Text;

namespace Secretary.Testing;

/// <summary>Secret values that must never show up in logs, errors, metrics, stats or messages.</summary>
public static class Canary
{
    public const string Value = "CANARY-b7d1e9f04c2a4f0e";
    public const string Json = "{\"username\":\"app\",\"password\":\"" + Value + "\"}";
    public const string BrokenJson = "{\"password\":\"" + Value + "\"";

    /// <summary>
    /// The canary as it would look if a value were transformed on its way out: the literal text, its base64 (standard
    /// and URL-safe, at each of the three byte alignments, so it is found inside any longer encoded text), its hex
    /// (either case), and the SHA-256 and SHA-512 digests (hex and base64) of each canary secret as a whole.
    /// </summary>
    public static IReadOnlyList<(string Form, string Text)> Forms { get; } = BuildForms();

    /// <summary>Fails when any of <paramref name="texts"/> contains a canary in any of its <see cref="Forms"/>.</summary>
    public static void AssertAbsent(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
        {
            if (text is null)
            {
                continue;
            }

            foreach (var (form, needle) in Forms)
            {
                if (text.Contains(needle, StringComparison.Ordinal))
                {
                    var shown = Forms.Aggregate(text, (t, f) => t.Replace(f.Text, $"<canary {f.Form}>", StringComparison.Ordinal));
                    throw new Xunit.Sdk.XunitException($"A canary secret value leaked ({form}) into: {shown}");
                }
            }
        }
    }

    private static List<(string, string)> BuildForms()
    {
        var forms = new List<(string, string)> { ("text", "CANARY-") };
        var bytes = Encoding.UTF8.GetBytes(Value);
        for (var offset = 0; offset < 3; offset++)
        {
            // Only the characters made of the value's own bits: the same wherever the value sits in a longer text.
            var encoded = Convert.ToBase64String([.. new byte[offset], .. bytes]);
            var first = ((offset * 8) + 5) / 6;
            var last = ((offset + bytes.Length) * 8) / 6;
            var core = encoded[first..last];
            forms.Add(($"base64+{offset}", core));
            var urlSafe = core.Replace('+', '-').Replace('/', '_');
            if (urlSafe != core)
            {
                forms.Add(($"base64url+{offset}", urlSafe));
            }
        }

        forms.Add(("hex", Convert.ToHexStringLower(bytes)));
        forms.Add(("HEX", Convert.ToHexString(bytes)));
        foreach (var secret in new[] { Value, Json, BrokenJson })
        {
            var utf8 = Encoding.UTF8.GetBytes(secret);
            foreach (var (name, digest) in new[] { ("sha256", SHA256.HashData(utf8)), ("sha512", SHA512.HashData(utf8)) })
            {
                forms.Add((name, Convert.ToHexStringLower(digest)));
                forms.Add((name.ToUpperInvariant(), Convert.ToHexString(digest)));
                forms.Add(($"{name}-base64", Convert.ToBase64String(digest)));
            }
        }

        return forms;
    }
}
