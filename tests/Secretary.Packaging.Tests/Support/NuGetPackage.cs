using System.IO.Compression;
using System.Xml.Linq;

namespace Secretary.Packaging.Tests.Support;

/// <summary>A .nupkg (or .snupkg) opened as the zip it is: its nuspec and its files.</summary>
public sealed class NuGetPackage
{
    private NuGetPackage(string path, XElement metadata, IReadOnlyDictionary<string, byte[]> files)
    {
        Path = path;
        Metadata = metadata;
        Files = files;
    }

    public string Path { get; }

    /// <summary>Gets the nuspec's &lt;metadata&gt; element.</summary>
    public XElement Metadata { get; }

    /// <summary>Gets every file but the packaging parts (_rels, [Content_Types].xml, package/), by path inside the package.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public string Id => Element("id")!;

    public string Version => Element("version")!;

    public bool IsPrerelease => Version.Contains('-', StringComparison.Ordinal);

    /// <summary>Gets the dependencies of every target-framework group: id and the version range as written.</summary>
    public IReadOnlyList<(string Id, string Range)> Dependencies =>
        [.. Metadata.Elements().Where(e => e.Name.LocalName == "dependencies").Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))];

    public static NuGetPackage Open(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        XElement? metadata = null;
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !entry.FullName.Contains('/', StringComparison.Ordinal))
            {
                buffer.Position = 0;
                metadata = XDocument.Load(buffer).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            }
            else if (!entry.FullName.StartsWith("_rels/", StringComparison.Ordinal) && !entry.FullName.StartsWith("package/", StringComparison.Ordinal) && entry.FullName != "[Content_Types].xml")
            {
                files[entry.FullName] = buffer.ToArray();
            }
        }

        return new NuGetPackage(path, metadata ?? throw new InvalidDataException($"{path} has no nuspec."), files);
    }

    /// <summary>Gets a metadata element's text (namespace-agnostic), or null.</summary>
    public string? Element(string name) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public XElement? ElementNode(string name) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>Whether a NuGet version range (for example <c>1.2.0</c>, <c>[1.2.0, )</c>, <c>1.20.1-beta.1</c>) has a prerelease lower bound.</summary>
    public static bool IsPrereleaseRange(string range) =>
        range.Trim('[', '(', ' ').Split(',')[0].Contains('-', StringComparison.Ordinal);
}
