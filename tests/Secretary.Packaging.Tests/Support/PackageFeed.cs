namespace Secretary.Packaging.Tests.Support;

/// <summary>
/// The local feed the packages were packed into: <c>SECRETARY_PACKAGE_FEED</c> (test.sh packs the solution into
/// <c>artifacts/feed</c> and sets it), or, when unset, a feed this test run packs itself (<c>dotnet pack</c>, once).
/// </summary>
public static class PackageFeed
{
    private static readonly Lazy<string> Directory_ = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => Directory_.Value;

    /// <summary>Opens the package <paramref name="id"/> of <see cref="Expected.Version"/>, or its symbol package.</summary>
    public static NuGetPackage Open(string id, bool symbols = false)
    {
        var path = System.IO.Path.Combine(Directory, $"{id}.{Expected.Version}.{(symbols ? "snupkg" : "nupkg")}");
        Assert.True(File.Exists(path), $"{path} is missing from the feed (found: {string.Join(", ", System.IO.Directory.GetFiles(Directory).Select(System.IO.Path.GetFileName))}).");
        return NuGetPackage.Open(path);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("SECRETARY_PACKAGE_FEED") is { Length: > 0 } feed)
        {
            return System.IO.Directory.Exists(feed) ? feed : throw new DirectoryNotFoundException($"SECRETARY_PACKAGE_FEED names {feed}, which does not exist.");
        }

        var own = System.IO.Path.Combine(AppContext.BaseDirectory, "feed");
        if (System.IO.Directory.Exists(own))
        {
            System.IO.Directory.Delete(own, recursive: true);
        }

        var pack = ProcessRunner.RunAsync(
            "dotnet",
            ["pack", System.IO.Path.Combine(RepoRoot.Path, "Secretary.slnx"), "-c", ProcessRunner.Configuration, "-o", own, "-nologo"],
            timeout: TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
        return pack.ExitCode == 0 ? own : throw new InvalidOperationException($"dotnet pack failed ({pack.ExitCode}):\n{pack.Stdout}\n{pack.Stderr}");
    }
}
