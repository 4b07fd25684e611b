namespace Secretary.Conformance.Support;

/// <summary>Finds the repository and the built <c>secretary.dll</c> of the same configuration as this test assembly.</summary>
internal static class Repository
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Secretary.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Secretary.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Gets the configuration this assembly was built in (tests/Conformance/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// Gets how the CLI is started: the native binary named by <c>SECRETARY_CLI</c> (test.sh sets it to run these tests
    /// again against the Native AOT build), else <c>dotnet</c> with <see cref="SecretaryDll"/>.
    /// </summary>
    public static (string FileName, string[] Arguments) CliCommand =>
        Environment.GetEnvironmentVariable("SECRETARY_CLI") is { Length: > 0 } native ? (native, []) : ("dotnet", [SecretaryDll]);

    /// <summary>Gets the CLI assembly to run with <c>dotnet</c> (Secretary.Cli.dll; secretary.dll in older layouts).</summary>
    public static string SecretaryDll
    {
        get
        {
            var directory = Path.Combine(Root, "src", "Secretary.Cli", "bin", Configuration, "net10.0");
            foreach (var name in new[] { "Secretary.Cli.dll", "secretary.dll" })
            {
                var path = Path.Combine(directory, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }

            throw new FileNotFoundException($"Build src/Secretary.Cli in {Configuration} first; no Secretary.Cli.dll in {directory}.");
        }
    }
}
