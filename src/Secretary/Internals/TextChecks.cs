namespace Secretary.Internals;

/// <summary>Checks on text that a store hands over.</summary>
internal static class TextChecks
{
    /// <summary>True when <paramref name="text"/> has no unpaired UTF-16 surrogate (vectorised search for the first surrogate, then a walk).</summary>
    public static bool IsValidUtf16(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return true;
        }

        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
