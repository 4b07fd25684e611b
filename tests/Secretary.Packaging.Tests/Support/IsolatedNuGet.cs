namespace Secretary.Packaging.Tests.Support;

/// <summary>
/// NuGet as a user on a clean machine sees it: a nuget.config with only the local feed (and nuget.org when asked, never for
/// Secretary's own ids), and a packages folder of its own, so a package cached by an earlier pack of the same version is
/// never used instead of the one in the feed.
/// </summary>
public sealed class IsolatedNuGet : IDisposable
{
    private IsolatedNuGet(string directory, string packagesFolder)
    {
        Directory = directory;
        PackagesFolder = packagesFolder;
        ConfigFile = Path.Combine(directory, "nuget.config");
    }

    /// <summary>Gets a fresh directory outside the repository, deleted on dispose.</summary>
    public string Directory { get; }

    public string ConfigFile { get; }

    public string PackagesFolder { get; }

    /// <summary>Gets the environment for dotnet commands: the isolated packages folder, a home outside the repository.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    /// <param name="withNuGetOrg">Also restore third-party packages from nuget.org (Secretary.* still only from the feed).</param>
    public static IsolatedNuGet Create(bool withNuGetOrg)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("secretary-consumer-").FullName;

        // Kept between runs so third-party packages download once; Secretary's own are removed so the feed's are used.
        var packages = Path.Combine(AppContext.BaseDirectory, "nuget-packages");
        System.IO.Directory.CreateDirectory(packages);
        foreach (var cached in System.IO.Directory.GetDirectories(packages, "secretary*"))
        {
            System.IO.Directory.Delete(cached, recursive: true);
        }

        var nuget = new IsolatedNuGet(directory, packages);
        var orgSource = withNuGetOrg ? """<add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />""" : string.Empty;
        var orgMapping = withNuGetOrg ? """<packageSource key="nuget.org"><package pattern="*" /></packageSource>""" : string.Empty;
        File.WriteAllText(nuget.ConfigFile, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{PackageFeed.Directory}" />
                {orgSource}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="Secretary" /><package pattern="Secretary.*" /></packageSource>
                {orgMapping}
              </packageSourceMapping>
            </configuration>
            """);

        // Stop MSBuild from picking up any Directory.Build.props or Directory.Packages.props above the temporary folder.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        return nuget;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still hold a file for a moment; the folder is in the temp directory.
        }
    }
}
