using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Secretary.Packaging.Tests.Support;

/// <summary>What the packages must say, read from the sources they were packed from (never from the packages themselves).</summary>
public static partial class Expected
{
    private static readonly XDocument BuildProps = XDocument.Load(Path.Combine(RepoRoot.Path, "Directory.Build.props"));

    /// <summary>Gets the version every package carries: VersionPrefix-VersionSuffix from Directory.Build.props.</summary>
    public static string Version { get; } = Property("VersionSuffix") is { Length: > 0 } suffix ? $"{Property("VersionPrefix")}-{suffix}" : Property("VersionPrefix");

    /// <summary>Gets the one repository URL (Directory.Build.props), which is also the project URL.</summary>
    public static string RepositoryUrl { get; } = Property("RepositoryUrl");

    /// <summary>Gets the newest section of CHANGELOG.md without its heading: the release notes of every package.</summary>
    public static string ReleaseNotes { get; } = NewestSection(File.ReadAllText(Path.Combine(RepoRoot.Path, "CHANGELOG.md")));

    /// <summary>Gets every project under src/ with the id of the package it must produce.</summary>
    public static IReadOnlyList<(string Project, string PackageId)> Projects { get; } =
        [.. Directory.GetFiles(Path.Combine(RepoRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileNameWithoutExtension(path), XDocument.Load(path).Descendants("PackageId").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(path)))];

    /// <summary>Gets the package id of the CLI, a .NET tool.</summary>
    public const string ToolPackageId = "Secretary.Tool";

    public static TheoryData<string> PackageIds()
    {
        var data = new TheoryData<string>();
        foreach (var (_, id) in Projects)
        {
            data.Add(id);
        }

        return data;
    }

    public static string ProjectOf(string packageId) => Projects.Single(p => p.PackageId == packageId).Project;

    /// <summary>Gets a pinned version from Directory.Packages.props, so generated test projects use the repository's versions.</summary>
    public static string PinnedVersion(string package) =>
        XDocument.Load(Path.Combine(RepoRoot.Path, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;

    private static string Property(string name) =>
        BuildProps.Descendants(name).FirstOrDefault()?.Value.Trim()
        ?? throw new InvalidOperationException($"Directory.Build.props has no {name}.");

    private static string NewestSection(string changelog)
    {
        var match = Section().Match(changelog.ReplaceLineEndings("\n"));
        return match.Success ? match.Groups[1].Value.Trim() : throw new InvalidOperationException("CHANGELOG.md has no '## ' section.");
    }

    [GeneratedRegex(@"^## [^\n]*\n(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();
}
