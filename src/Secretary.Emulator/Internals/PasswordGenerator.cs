using System.Security.Cryptography;
using System.Text;

namespace Secretary.Emulator.Internals;

/// <summary>GetRandomPassword's generator (cryptographic randomness, the service's character classes).</summary>
internal static class PasswordGenerator
{
    public const string Lowercase = "abcdefghijklmnopqrstuvwxyz";
    public const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Digits = "0123456789";
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Characters left out of passwords written by the built-in rotation (the ones RDS rotation excludes).</summary>
    public const string RotationExcludes = "/@\"'\\";

    public static string Generate(
        int length,
        string? excludeCharacters = null,
        bool excludeNumbers = false,
        bool excludePunctuation = false,
        bool excludeUppercase = false,
        bool excludeLowercase = false,
        bool includeSpace = false,
        bool requireEachIncludedType = true)
    {
        var exclude = excludeCharacters ?? string.Empty;
        var classes = new List<string>();
        void AddClass(bool include, string characters)
        {
            if (!include)
            {
                return;
            }

            var allowed = new string([.. characters.Where(c => !exclude.Contains(c, StringComparison.Ordinal))]);
            if (allowed.Length > 0)
            {
                classes.Add(allowed);
            }
            else if (requireEachIncludedType)
            {
                throw EmulatorException.InvalidParameter("The ExcludeCharacters value excludes every character of a required character type.");
            }
        }

        AddClass(!excludeLowercase, Lowercase);
        AddClass(!excludeUppercase, Uppercase);
        AddClass(!excludeNumbers, Digits);
        AddClass(!excludePunctuation, Punctuation);

        // The space is an optional character, never a required type (a length-4 password with IncludeSpace is valid).
        var optional = includeSpace && !exclude.Contains(' ', StringComparison.Ordinal) ? " " : string.Empty;
        if (classes.Count == 0 && optional.Length == 0)
        {
            throw EmulatorException.InvalidParameter("The password can't be generated: every character type is excluded.");
        }

        if (requireEachIncludedType && length < classes.Count)
        {
            throw EmulatorException.InvalidParameter(
                $"The PasswordLength {length} is too short to include each of the {classes.Count} required character types.");
        }

        var all = string.Concat(classes) + optional;
        var chars = new char[length];
        var position = 0;
        if (requireEachIncludedType)
        {
            foreach (var characterClass in classes)
            {
                chars[position++] = characterClass[RandomNumberGenerator.GetInt32(characterClass.Length)];
            }
        }

        for (; position < length; position++)
        {
            chars[position] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new StringBuilder(length).Append(chars).ToString();
    }
}
