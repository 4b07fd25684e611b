using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Secretary.Cli.Commands;

/// <summary>
/// Options whose parse errors say what was expected (System.CommandLine's own name the .NET type, e.g.
/// <c>System.Nullable`1[System.Int32]</c>): whole numbers in a range, URLs, one of a few words.
/// </summary>
internal static class CliOptions
{
    public const string DefaultAgentUrl = "http://127.0.0.1:2773";

    /// <summary>An optional whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> Integer(string name, int min, int max, string expected, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParseInteger(result, name, min, max, expected),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> with a default.</summary>
    public static Option<int> Integer(string name, int min, int max, string expected, string description, int defaultValue, params string[] aliases)
    {
        var option = new Option<int>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
        };
        option.CustomParser = result => ParseInteger(result, name, min, max, expected) ?? defaultValue;
        return option;
    }

    /// <summary>A TCP port: 0 (any free one) to 65535.</summary>
    public static Option<int?> Port(string name, string description) => Integer(name, 0, 65535, "a port number from 0 to 65535", description);

    /// <summary>The URL of a running agent (<c>http://127.0.0.1:2773</c> by default), checked when parsed.</summary>
    public static Option<string> AgentUrl(string description = "The agent's URL.") => Url("--agent", description, DefaultAgentUrl);

    /// <summary>An absolute http or https URL.</summary>
    public static Option<string> Url(string name, string description, string? defaultValue = null)
    {
        var option = new Option<string>(name) { Description = description };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !IsHttpUrl(result.Tokens[0].Value))
            {
                var value = result.Tokens[0].Value;
                result.AddError($"{name} expects a URL such as http://{(value.Contains("://", StringComparison.Ordinal) ? "127.0.0.1:2773" : value)}, not '{value}'");
            }
        });
        return option;
    }

    /// <summary>Accepts only one of <paramref name="values"/> (any case), saying which.</summary>
    public static T OneOf<T>(this T option, params string[] values)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!values.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
                {
                    result.AddError($"{option.Name} must be {string.Join(" or ", values)}, not '{token.Value}'");
                }
            }
        });
        return option;
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    private static int? ParseInteger(ArgumentResult result, string name, int min, int max, string expected)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} expects {expected}, not '{text}'");
        return null;
    }
}
