namespace Secretary.Packaging.Tests.Support;

/// <summary>
/// The Lambda layer test.sh builds from the native binary (<c>SECRETARY_LAYER_ZIP</c>), or, when unset, one this test run
/// builds with deploy/lambda/build-layer.sh (a Native AOT publish: minutes).
/// </summary>
internal static class NativeArtifacts
{
    private static readonly Lazy<string> Layer = new(LocateLayer, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string LayerZip => Layer.Value;

    private static string LocateLayer()
    {
        if (Environment.GetEnvironmentVariable("SECRETARY_LAYER_ZIP") is { Length: > 0 } zip)
        {
            return File.Exists(zip) ? zip : throw new FileNotFoundException($"SECRETARY_LAYER_ZIP names {zip}, which does not exist (did the native publish fail? see .test-results/native-publish.log).", zip);
        }

        var own = Path.Combine(AppContext.BaseDirectory, "secretary-layer.zip");
        var build = ProcessRunner.RunAsync(Path.Combine(RepoRoot.Path, "deploy", "lambda", "build-layer.sh"), ["--output", own], timeout: TimeSpan.FromMinutes(15)).GetAwaiter().GetResult();
        return build.ExitCode == 0 ? own : throw new InvalidOperationException($"build-layer.sh failed ({build.ExitCode}):\n{build.Stdout}\n{build.Stderr}");
    }
}
