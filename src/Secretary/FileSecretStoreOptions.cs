namespace Secretary;

/// <summary>Settings of a <see cref="FileSecretStore"/>.</summary>
public sealed class FileSecretStoreOptions
{
    /// <summary>The JSON file: an object mapping each secret name to a string or a JSON object.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// The host environment's name. <value>Default: <c>DOTNET_ENVIRONMENT</c>, else <c>ASPNETCORE_ENVIRONMENT</c>,
    /// else none (treated as development).</value> The store refuses to run in <c>Production</c>
    /// unless <see cref="AllowInProduction"/> is set.
    /// </summary>
    public string? EnvironmentName { get; set; }

    /// <summary>Lets the file store run in Production (not recommended: the file holds secrets in clear).</summary>
    public bool AllowInProduction { get; set; }

    /// <summary>The clock used for version dates. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider? TimeProvider { get; set; }
}
