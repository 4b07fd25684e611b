using System.Text.RegularExpressions;

namespace Secretary.Emulator.Internals.ParameterStore;

/// <summary>Parameter Store's naming rules: names, hierarchy depth, labels, ARNs and the <c>NAME:SELECTOR</c> form.</summary>
internal static partial class ParameterNames
{
    public const int MaxNameLength = 1011;
    public const int MaxLevels = 15;
    public const string SecretsManagerReference = "/aws/reference/secretsmanager/";

    public const string InvalidNameMessage =
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    /// <summary>Checks a name a parameter is created with.</summary>
    public static void ValidateNew(string name)
    {
        if (name.Length > MaxNameLength)
        {
            throw EmulatorException.Validation($"Value '{name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to {MaxNameLength}");
        }

        if (!NamePattern().IsMatch(name) || IsReserved(name))
        {
            throw EmulatorException.Validation(InvalidNameMessage);
        }

        if (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/'))
        {
            throw ParameterOperations.Invalid("Parameter name must be a fully qualified name.");
        }

        if (name.Contains("//", StringComparison.Ordinal) || (name.Length > 1 && name.EndsWith('/')) || name == "/")
        {
            throw EmulatorException.Validation(InvalidNameMessage);
        }

        if (name.Count(c => c == '/') > MaxLevels)
        {
            throw new EmulatorException("HierarchyLevelLimitExceededException", $"A hierarchy can have a maximum of {MaxLevels} levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.");
        }
    }

    /// <summary>True for a path GetParametersByPath and the Path filter accept: <c>/</c> or <c>/a/b</c> (a trailing slash allowed).</summary>
    public static bool IsPath(string path) =>
        path == "/" || (path.StartsWith('/') && PathPattern().IsMatch(path) && !path.Contains("//", StringComparison.Ordinal) && !IsReserved(path));

    /// <summary>The name or ARN of a read, split from its selector: <c>/a/b:3</c> is (<c>/a/b</c>, <c>3</c>).</summary>
    public static (string Name, string? Selector) Split(string text)
    {
        var start = 0;
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var resource = text.IndexOf(":parameter/", StringComparison.Ordinal);
            start = resource < 0 ? text.Length : resource + 1;
        }

        var colon = text.LastIndexOf(':');
        return colon >= start ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }

    /// <summary>The ARN of a parameter: <c>arn:aws:ssm:REGION:ACCOUNT:parameter/a/b</c> for <c>/a/b</c>, <c>parameter/a</c> for <c>a</c>.</summary>
    public static string Arn(string region, string accountId, string name) =>
        $"arn:aws:ssm:{region}:{accountId}:parameter/{name.TrimStart('/')}";

    /// <summary>The names an ARN can stand for in <paramref name="region"/> (with and without the leading slash), or the name itself.</summary>
    public static IEnumerable<string> Candidates(string nameOrArn, string region, string accountId)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            yield return nameOrArn;
            yield break;
        }

        var prefix = $"arn:aws:ssm:{region}:{accountId}:parameter/";
        if (nameOrArn.StartsWith(prefix, StringComparison.Ordinal) && nameOrArn.Length > prefix.Length)
        {
            var resource = nameOrArn[prefix.Length..];
            yield return "/" + resource;
            yield return resource;
        }
    }

    /// <summary>A label LabelParameterVersion accepts: 1-100 of <c>a-zA-Z0-9_.-</c>, not beginning with a digit, <c>aws</c> or <c>ssm</c>.</summary>
    public static bool IsLabel(string label) =>
        label.Length is >= 1 and <= 100 && LabelPattern().IsMatch(label) && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase) && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);

    private static bool IsReserved(string name)
    {
        var bare = name.TrimStart('/');
        return bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^[a-zA-Z0-9_.\\-/]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_.\\-/]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex("^[a-zA-Z0-9_.\\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
