using System.Net;

namespace Secretary.Agent.Internals;

/// <summary>A query string as the AWS agent reads it: <c>name=value</c> pairs in order, form-decoded (<c>+</c> is a space), empty pairs skipped.</summary>
internal static class QueryPairs
{
    /// <summary>The pairs of <paramref name="query"/> (with or without its <c>?</c>); a name without <c>=</c> has the empty value.</summary>
    public static List<(string Name, string Value)> Parse(string query)
    {
        var pairs = new List<(string Name, string Value)>();
        var rest = query.AsSpan().TrimStart('?');
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            pairs.Add((Decode(eq < 0 ? pair : pair[..eq]), eq < 0 ? string.Empty : Decode(pair[(eq + 1)..])));
        }

        return pairs;
    }

    private static string Decode(ReadOnlySpan<char> text) => WebUtility.UrlDecode(text.ToString());
}
