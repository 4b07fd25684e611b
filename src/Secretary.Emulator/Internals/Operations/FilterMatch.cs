namespace Secretary.Emulator.Internals;

/// <summary>
/// One ListSecrets / BatchGetSecretValue filter value against one secret, as the service matches it.
/// <c>name</c>, <c>description</c> and <c>all</c> match word prefixes: the text and the filter value are split into
/// words (at spaces, at <c>/ _ + = . @ -</c>, and where a lower-case letter is followed by an upper-case one), and every
/// word of the value must be the prefix of some word of the text (<c>prod/AppBeta/x</c> matches <c>AppBeta</c>,
/// <c>"one and two"</c> matches <c>"one two"</c>). <c>name</c> is case-sensitive, <c>description</c> and <c>all</c> are
/// not; <c>all</c> searches the name, the description, tag keys and tag values. <c>tag-key</c>, <c>tag-value</c>,
/// <c>primary-region</c> and <c>owning-service</c> are case-sensitive prefixes of the whole value.
/// </summary>
internal static class FilterMatch
{
    private const string Separators = " /_+=.@-";

    public static bool Matches(SecretRecord secret, string key, string value) => key switch
    {
        "name" => WordPrefixes([secret.Name], value, StringComparison.Ordinal),
        "description" => WordPrefixes([secret.Description], value, StringComparison.OrdinalIgnoreCase),
        "tag-key" => secret.Tags?.Exists(t => t.Key.StartsWith(value, StringComparison.Ordinal)) ?? false,
        "tag-value" => secret.Tags?.Exists(t => t.Value.StartsWith(value, StringComparison.Ordinal)) ?? false,
        "primary-region" => (secret.PrimaryRegion ?? secret.Region).StartsWith(value, StringComparison.Ordinal),
        "owning-service" => false, // no secret here is managed by another service
        _ => WordPrefixes(
            [secret.Name, secret.Description, .. (secret.Tags ?? []).SelectMany(t => new[] { t.Key, t.Value })],
            value,
            StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Splits text into words at the separators and at lower→upper case changes.</summary>
    public static List<string> Words(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }

        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (Separators.Contains(text[i], StringComparison.Ordinal))
            {
                if (start >= 0)
                {
                    words.Add(text[start..i]);
                    start = -1;
                }

                continue;
            }

            if (start >= 0 && char.IsUpper(text[i]) && char.IsLower(text[i - 1]))
            {
                words.Add(text[start..i]);
                start = i;
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            words.Add(text[start..]);
        }

        return words;
    }

    private static bool WordPrefixes(IEnumerable<string?> texts, string value, StringComparison comparison)
    {
        var words = texts.SelectMany(Words).ToList();
        return Words(value).TrueForAll(wanted => words.Exists(word => word.StartsWith(wanted, comparison)));
    }
}
