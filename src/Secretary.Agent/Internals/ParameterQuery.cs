namespace Secretary.Agent.Internals;

/// <summary>
/// The parameters of the Lambda extension's Parameter Store read, <c>/systemsmanager/parameters/get?name=&amp;version=&amp;label=&amp;withDecryption=</c>:
/// form-decoded pairs, the last value of a name wins; <c>withDecryption</c> is <c>true</c> or <c>false</c> in any case.
/// The first unknown name or bad value is the answer (plain text, as the agent's own refusals).
/// </summary>
internal sealed class ParameterQuery
{
    public string? Name { get; private set; }

    public string? Version { get; private set; }

    public string? Label { get; private set; }

    public bool WithDecryption { get; private set; }

    /// <summary>The id of the parameter for a Parameter Store store: <c>NAME</c>, <c>NAME:VERSION</c> or <c>NAME:LABEL</c>.</summary>
    public string Selected => Version is { Length: > 0 } version ? Name + ":" + version : Label is { Length: > 0 } label ? Name + ":" + label : Name!;

    /// <summary>Reads <paramref name="query"/> (with or without its <c>?</c>); the refusal's text when it is refused.</summary>
    public string? Parse(string query)
    {
        foreach (var (name, value) in QueryPairs.Parse(query))
        {
            switch (name)
            {
                case "name":
                    Name = value;
                    break;
                case "version":
                    Version = value;
                    break;
                case "label":
                    Label = value;
                    break;
                case "withDecryption":
                    if (!bool.TryParse(value, out var decrypt))
                    {
                        return "invalid withDecryption value";
                    }

                    WithDecryption = decrypt;
                    break;
                default:
                    return "unknown parameter: " + name;
            }
        }

        if (string.IsNullOrEmpty(Name))
        {
            return "missing parameter name";
        }

        if (!string.IsNullOrEmpty(Version) && !string.IsNullOrEmpty(Label))
        {
            return "version and label cannot be used together";
        }

        if (!string.IsNullOrEmpty(Version) && !long.TryParse(Version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return "invalid version value";
        }

        return null;
    }
}
