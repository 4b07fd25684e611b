using System.Text;

namespace Secretary.Reliability.Tests;

/// <summary>Seeded generators of hostile text: percent-encodings (valid and broken), unicode, control characters, long runs.</summary>
internal static class FuzzText
{
    private static readonly string[] Pieces =
    [
        "a", "app/db", "%2F", "%2f", "%00", "%ZZ", "%", "%C3%A9", "%FF%FE", "%E2%80%AE", "%F0%9F%94%91", "é", "中文", "🔑", "\u202E", "..", "//",
        "%252F", "+", " ", "%20", "&", "=", "?", "#", ";", "'", "\"", "<script>", "\\", ":", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
        "AWSCURRENT", "AWSPREVIOUS", "true", "TRUE", "yes", "null", "{}", "[]", "\t", "\u0001", "\uFFFD", "ǅ", "İ",
    ];

    public static string Piece(Random random) => Pieces[random.Next(Pieces.Length)];

    public static string Junk(Random random, int maxPieces = 6)
    {
        var builder = new StringBuilder();
        var count = random.Next(0, maxPieces + 1);
        for (var i = 0; i < count; i++)
        {
            builder.Append(random.Next(4) == 0 ? ((char)random.Next(0x20, 0x7F)).ToString() : Piece(random));
        }

        if (random.Next(40) == 0)
        {
            builder.Append(new string((char)random.Next('a', 'z' + 1), random.Next(2000, 9000)));
        }

        return builder.ToString();
    }

    /// <summary>Flips, drops, duplicates or inserts bytes of <paramref name="input"/>.</summary>
    public static byte[] Mutate(Random random, byte[] input)
    {
        var bytes = new List<byte>(input);
        var edits = random.Next(1, 5);
        for (var i = 0; i < edits; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Piece(random)));
                    break;
            }
        }

        return [.. bytes];
    }
}
