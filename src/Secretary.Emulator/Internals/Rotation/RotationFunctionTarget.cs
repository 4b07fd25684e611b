using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals;

/// <summary>Parses and checks a rotation function's target: <c>http://&lt;loopback&gt;[:port]/path</c> or <c>cmd:PATH</c>.</summary>
internal static partial class RotationFunctionTarget
{
    public const string CommandPrefix = "cmd:";

    public static IEnumerable<string> Problems(string name, string? target)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            yield return $"Rotation function name '{name}' must be 1-64 of A-Z a-z 0-9 - _.";
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            yield return $"Rotation function '{name}' needs a target: http://127.0.0.1:PORT/ or cmd:PATH.";
        }
        else if (target.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            var path = target[CommandPrefix.Length..];
            if (path.Length == 0 || !File.Exists(path))
            {
                yield return $"Rotation function '{name}': the command '{path}' does not exist.";
            }
        }
        else if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !IsLoopback(uri))
        {
            yield return $"Rotation function '{name}': '{target}' is neither cmd:PATH nor an http:// URL on loopback (127.0.0.1, [::1], localhost).";
        }
    }

    /// <summary>The function name a <c>RotationLambdaARN</c> stands for: the name itself, or the <c>function:NAME</c> of a Lambda ARN (qualifier dropped).</summary>
    public static string FunctionName(string rotationLambdaArn)
    {
        var parts = rotationLambdaArn.Split(':');
        return parts.Length >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" ? parts[6] : rotationLambdaArn;
    }

    private static bool IsLoopback(Uri uri) => uri.IsLoopback && (uri.Host is "127.0.0.1" or "[::1]" || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
