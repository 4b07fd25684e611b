namespace Secretary.Packaging.Tests;

/// <summary>
/// Two clones at different paths, built as CI builds them (<c>CI=true</c>), give the same Secretary.dll, byte for byte:
/// anyone can check that a published package was built from the commit it names.
/// </summary>
public sealed class DeterministicBuildTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-determinism-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Two_clean_clones_build_identical_Secretary_dll_and_pdb()
    {
        var first = await CloneAndBuildAsync("a");
        var second = await CloneAndBuildAsync(Path.Combine("a-longer-path", "second-clone"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "Secretary.dll")), File.ReadAllBytes(Path.Combine(second, "Secretary.dll")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "Secretary.pdb")), File.ReadAllBytes(Path.Combine(second, "Secretary.pdb")));
    }

    /// <returns>The build output folder of src/Secretary in the clone.</returns>
    private async Task<string> CloneAndBuildAsync(string name)
    {
        var clone = Path.Combine(_directory, name);
        var git = await ProcessRunner.RunAsync("git", ["clone", "--quiet", "--no-hardlinks", RepoRoot.Path, clone], timeout: TimeSpan.FromMinutes(2));
        Assert.True(git.ExitCode == 0, $"git clone failed: {git.Stderr}");
        var build = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", Path.Combine(clone, "src", "Secretary", "Secretary.csproj"), "-c", "Release", "-nologo", "-clp:ErrorsOnly"],
            new Dictionary<string, string?> { ["CI"] = "true" },
            timeout: TimeSpan.FromMinutes(5),
            workingDirectory: clone);
        Assert.True(build.ExitCode == 0, $"dotnet build in {clone} failed:\n{build.Stdout}\n{build.Stderr}");
        return Path.Combine(clone, "src", "Secretary", "bin", "Release", "net10.0");
    }
}
