using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Secretary.Packaging.Tests.Support;

namespace Secretary.Packaging.Tests;

/// <summary>Each package in the feed, opened as a zip: what nuget.org and a consumer's IDE will show and use.</summary>
public sealed class PackageMetadataTests
{
    /// <summary>The EmbeddedSource custom debug information kind of portable PDBs.</summary>
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    public static TheoryData<string> PackageIds => Expected.PackageIds();

    [Fact]
    public void The_feed_holds_one_package_and_one_symbol_package_per_project_under_src_and_nothing_else()
    {
        var expected = Expected.Projects.SelectMany(p => new[] { $"{p.PackageId}.{Expected.Version}.nupkg", $"{p.PackageId}.{Expected.Version}.snupkg" }).Order(StringComparer.Ordinal);
        var actual = Directory.GetFiles(PackageFeed.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Identity_licence_and_urls_come_from_the_one_place(string id)
    {
        var package = PackageFeed.Open(id);
        Assert.Equal(id, package.Id);
        Assert.Equal(Expected.Version, package.Version);
        Assert.Equal("Secretary contributors", package.Element("authors"));

        var license = package.ElementNode("license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("Apache-2.0", license.Value);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoRoot.Path, "LICENSE")), package.Files["LICENSE"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepoRoot.Path, "NOTICE")), package.Files["NOTICE"]);

        Assert.StartsWith("https://", Expected.RepositoryUrl, StringComparison.Ordinal);
        Assert.Equal(Expected.RepositoryUrl, package.Element("projectUrl"));
        var repository = package.ElementNode("repository");
        Assert.NotNull(repository);
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Equal(Expected.RepositoryUrl, (string?)repository.Attribute("url"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? string.Empty);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Description_tags_readme_and_release_notes_describe_the_package(string id)
    {
        var package = PackageFeed.Open(id);
        var description = package.Element("description") ?? string.Empty;
        Assert.True(description.Length >= 40 && description != "Package Description", $"{id} has a placeholder description: '{description}'.");
        var tags = (package.Element("tags") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("secrets", tags);
        Assert.True(tags.Length > 5, $"{id} has only the common tags: {string.Join(' ', tags)}.");

        Assert.Equal("README.md", package.Element("readme"));
        var readme = Path.Combine(RepoRoot.Path, "src", Expected.ProjectOf(id), "README.md");
        Assert.Equal(File.ReadAllBytes(readme), package.Files["README.md"]);
        Assert.StartsWith("# ", System.Text.Encoding.UTF8.GetString(package.Files["README.md"]), StringComparison.Ordinal);

        Assert.Equal(Expected.ReleaseNotes, package.Element("releaseNotes")?.ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void A_stable_package_never_depends_on_a_prerelease_and_Secretary_packages_depend_on_the_same_version(string id)
    {
        var package = PackageFeed.Open(id);
        var prerelease = package.Dependencies.Where(d => NuGetPackage.IsPrereleaseRange(d.Range)).ToList();
        Assert.True(
            package.IsPrerelease || prerelease.Count == 0,
            $"{id} {package.Version} is stable but depends on prereleases: {string.Join(", ", prerelease.Select(d => $"{d.Id} {d.Range}"))}. Version the packages as previews (VersionSuffix) or use a stable dependency.");
        foreach (var (dependency, range) in package.Dependencies.Where(d => Expected.Projects.Any(p => p.PackageId == d.Id)))
        {
            Assert.True(range == Expected.Version || range == $"[{Expected.Version}, )", $"{id} depends on {dependency} {range}, not {Expected.Version}.");
        }
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Every_assembly_has_xml_docs_and_a_matching_pdb_with_every_source_embedded(string id)
    {
        var package = PackageFeed.Open(id);
        var symbols = PackageFeed.Open(id, symbols: true);
        var assemblies = package.Files.Keys.Where(f => Path.GetFileName(f).StartsWith("Secretary", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assemblies);
        foreach (var assembly in assemblies)
        {
            var stem = assembly[..^".dll".Length];
            Assert.True(package.Files.ContainsKey(stem + ".xml"), $"{id}: {assembly} has no XML documentation file.");
            var pdb = symbols.Files.GetValueOrDefault(stem + ".pdb") ?? package.Files.GetValueOrDefault(stem + ".pdb");
            Assert.True(pdb is not null, $"{id}: no {stem}.pdb in the package or its symbol package.");
            AssertPdbMatchesWithEmbeddedSources(package.Files[assembly], pdb, $"{id}: {assembly}");
        }
    }

    [Fact]
    public void Every_third_party_assembly_the_tool_redistributes_is_named_in_NOTICE()
    {
        var notice = File.ReadAllText(Path.Combine(RepoRoot.Path, "NOTICE"));
        var bundled = PackageFeed.Open(Expected.ToolPackageId).Files.Keys
            .Select(Path.GetFileName)
            .Where(f => f!.EndsWith(".dll", StringComparison.Ordinal) && !f.StartsWith("Secretary", StringComparison.Ordinal))
            .Select(f => f![..^".dll".Length])
            .ToList();
        Assert.NotEmpty(bundled);
        var missing = bundled.Where(name => !Covered(name)).ToList();
        Assert.True(missing.Count == 0, $"NOTICE does not name: {string.Join(", ", missing)}.");

        // OpenTelemetry.Api covers OpenTelemetry.Api.ProviderBuilderExtensions; a bare "System" or "Microsoft" covers nothing.
        bool Covered(string name)
        {
            var parts = name.Split('.');
            var minimum = parts[0] is "System" or "Microsoft" ? parts.Length : 1;
            return Enumerable.Range(minimum, parts.Length - minimum + 1)
                .Select(n => string.Join('.', parts.Take(n)))
                .Any(prefix => System.Text.RegularExpressions.Regex.IsMatch(notice, $@"(?<![\w.]){System.Text.RegularExpressions.Regex.Escape(prefix)}(?![\w])"));
        }
    }

    private static void AssertPdbMatchesWithEmbeddedSources(byte[] dll, byte[] pdb, string what)
    {
        using var pe = new PEReader(new MemoryStream(dll));
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var pdbId = pe.ReadCodeViewDebugDirectoryData(codeView).Guid;

        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        Assert.True(reader.DebugMetadataHeader is not null, $"{what}: the pdb is not a portable PDB.");
        Assert.Equal(pdbId, new Guid(reader.DebugMetadataHeader.Id.AsSpan(0, 16)));

        var withoutSource = new List<string>();
        var documents = 0;
        foreach (var handle in reader.Documents)
        {
            var name = reader.GetString(reader.GetDocument(handle).Name);
            if (!name.EndsWith(".cs", StringComparison.Ordinal))
            {
                continue;
            }

            documents++;
            var embedded = reader.GetCustomDebugInformation(handle).Any(h => reader.GetGuid(reader.GetCustomDebugInformation(h).Kind) == EmbeddedSourceKind);
            if (!embedded)
            {
                withoutSource.Add(name);
            }
        }

        Assert.True(documents > 0, $"{what}: the pdb lists no C# documents.");
        Assert.True(withoutSource.Count == 0, $"{what}: sources not embedded: {string.Join(", ", withoutSource)}.");
    }
}
