using System.Text.RegularExpressions;
using Secretary.Packaging.Tests.Support;

namespace Secretary.Packaging.Tests;

/// <summary>
/// A user's own test project, outside the repository, that takes Secretary.Emulator and Secretary.Aws from the feed and
/// runs the xunit fixture of src/Secretary.Emulator/README.md, word for word: the packages work for a consumer and the
/// README's example compiles and passes.
/// </summary>
public sealed partial class EmulatorReadmeExampleTests : IDisposable
{
    private readonly IsolatedNuGet _nuget = IsolatedNuGet.Create(withNuGetOrg: true);

    public void Dispose() => _nuget.Dispose();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [Fact]
    public async Task The_README_fixture_passes_in_a_consumer_project_built_from_the_packages()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "Secretary.Emulator", "README.md")).ReplaceLineEndings("\n");
        var example = CSharpBlock().Match(readme);
        Assert.True(example.Success, "src/Secretary.Emulator/README.md has no csharp block.");
        var project = Directory.CreateDirectory(Path.Combine(_nuget.Directory, "MyApp.Tests")).FullName;
        File.WriteAllText(Path.Combine(project, "ReadmeExample.cs"), example.Groups[1].Value);
        // The nuget.config of the folder above (IsolatedNuGet) decides where packages come from.
        File.WriteAllText(Path.Combine(project, "MyApp.Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <IsPackable>false</IsPackable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Secretary.Emulator" Version="{Expected.Version}" />
                <PackageReference Include="Secretary.Aws" Version="{Expected.Version}" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{Expected.PinnedVersion("Microsoft.NET.Test.Sdk")}" />
                <PackageReference Include="xunit" Version="{Expected.PinnedVersion("xunit")}" />
                <PackageReference Include="xunit.runner.visualstudio" Version="{Expected.PinnedVersion("xunit.runner.visualstudio")}" />
              </ItemGroup>
            </Project>
            """);

        var results = Path.Combine(_nuget.Directory, "results");
        var test = await ProcessRunner.RunAsync(
            "dotnet",
            ["test", project, "-nologo", "--logger", "trx;LogFileName=readme.trx", "--results-directory", results],
            _nuget.Environment,
            timeout: TimeSpan.FromMinutes(8),
            workingDirectory: _nuget.Directory);
        Assert.True(test.ExitCode == 0, $"dotnet test of the README example failed ({test.ExitCode}):\n{test.Stdout}\n{test.Stderr}");
        var counters = Regex.Match(File.ReadAllText(Path.Combine(results, "readme.trx")), @"<Counters [^>]*total=""(\d+)""[^>]*passed=""(\d+)""");
        Assert.Equal(("1", "1"), (counters.Groups[1].Value, counters.Groups[2].Value));
    }
}
