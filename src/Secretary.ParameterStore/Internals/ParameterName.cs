namespace Secretary.ParameterStore.Internals;

/// <summary>
/// A request as Parameter Store names it: the name (a path prefix applied to a relative name) and the selector
/// (<c>:VERSION</c> or <c>:LABEL</c>) written in the id or given as the request's version id or stage.
/// </summary>
internal readonly record struct ParameterName(string Name, string? Selector)
{
    /// <summary>The text GetParameter and GetParameters take: <c>NAME</c> or <c>NAME:SELECTOR</c>.</summary>
    public string Text => Selector is null ? Name : Name + Selector;

    public bool IsSecretsManagerReference => Name.StartsWith(ParameterStoreDefaults.SecretsManagerReference, StringComparison.Ordinal);

    /// <exception cref="SecretParameterException">The request is malformed for Parameter Store.</exception>
    public static ParameterName From(SecretRequest request, string? pathPrefix)
    {
        var id = request.SecretId;
        try
        {
            request.Validate();
        }
        catch (ArgumentException ex)
        {
            throw Invalid(id, ex.Message.Replace(" (Parameter 'SecretId')", string.Empty, StringComparison.Ordinal));
        }

        var (name, selector) = Split(id);
        if (name.Length == 0)
        {
            throw Invalid(id, "A parameter name is required before the selector.");
        }

        if (pathPrefix is not null && !name.StartsWith('/') && !name.StartsWith("arn:", StringComparison.Ordinal))
        {
            name = pathPrefix + name;
        }

        var stage = request.VersionStage is SecretRequest.CurrentStage ? null : request.VersionStage;
        if (request.VersionId is not null || stage is not null)
        {
            if (selector is not null)
            {
                throw Invalid(id, "The parameter name has a selector and the request a version or label too: give one of them.");
            }

            if (request.VersionId is { } version)
            {
                if (!long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
                {
                    throw Invalid(id, $"A parameter version is a number from 1; '{version}' is not (read a label as the version stage).");
                }

                selector = ":" + version;
            }
            else
            {
                selector = ":" + stage;
            }

            if (name.StartsWith(ParameterStoreDefaults.SecretsManagerReference, StringComparison.Ordinal) && request.VersionId is not null)
            {
                throw Invalid(id, "A Secrets Manager reference selects a version in its name (NAME:VERSIONID or NAME:STAGE), not by the request's version.");
            }
        }

        return new ParameterName(name, selector);
    }

    /// <summary>True when <paramref name="secret"/> is the parameter this name reads.</summary>
    public bool IsAnsweredBy(Secret secret)
    {
        if (secret.Name == Name || secret.Arn == Name)
        {
            return true;
        }

        // An ARN asked for, a name answered: arn:...:parameter/a/b names /a/b, arn:...:parameter/a names a.
        if (!Name.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var resource = Name.IndexOf(":parameter", StringComparison.Ordinal);
        if (resource < 0)
        {
            return false;
        }

        var path = Name[(resource + ":parameter".Length)..];
        return path == secret.Name || (path.Length > 1 && path[1..] == secret.Name);
    }

    /// <summary>The name and the selector written in an id: the text after the last colon of the name part, if any.</summary>
    private static (string Name, string? Selector) Split(string id)
    {
        var start = 0;
        if (id.StartsWith("arn:", StringComparison.Ordinal))
        {
            var resource = id.IndexOf(":parameter", StringComparison.Ordinal);
            start = resource < 0 ? id.Length : resource + 1;
        }

        var colon = id.LastIndexOf(':');
        return colon >= start ? (id[..colon], id[colon..]) : (id, null);
    }

    private static SecretParameterException Invalid(string id, string message) =>
        new(id, message, "ValidationException");
}
