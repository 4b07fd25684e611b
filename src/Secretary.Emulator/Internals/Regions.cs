using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals;

/// <summary>Region name checks (the model's <c>RegionType</c> pattern).</summary>
internal static partial class Regions
{
    public static bool IsValid(string? region) => region is { Length: > 0 and <= 128 } && Pattern().IsMatch(region);

    [GeneratedRegex(@"^([a-z]+-)+\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
