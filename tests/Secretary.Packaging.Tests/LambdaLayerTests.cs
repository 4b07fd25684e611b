using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Secretary.Packaging.Tests.Support;

namespace Secretary.Packaging.Tests;

/// <summary>
/// secretary-layer.zip as Lambda unpacks it into /opt: extensions/secretary is the native agent. Registering with the
/// Extensions API (extension mode) belongs to the agent; its test will start <see cref="Unpack"/>'s binary against
/// the Extensions-API stand-in with AWS_LAMBDA_RUNTIME_API set.
/// </summary>
public sealed class LambdaLayerTests : IDisposable
{
    private readonly string _opt = Directory.CreateTempSubdirectory("secretary-layer-").FullName;

    public void Dispose() => Directory.Delete(_opt, recursive: true);

    [Fact]
    public void The_layer_holds_the_extension_executable_and_the_licence_and_nothing_else()
    {
        using var zip = ZipFile.OpenRead(NativeArtifacts.LayerZip);
        Assert.Equal(["extensions/secretary", "secretary/LICENSE", "secretary/NOTICE"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var extension = zip.GetEntry("extensions/secretary")!;
        Assert.Equal(Convert.ToInt32("100755", 8), (extension.ExternalAttributes >> 16) & 0xFFFF);
        using var stream = extension.Open();
        var header = new byte[20];
        stream.ReadExactly(header);
        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        Assert.Equal(2, header[4]);                              // 64-bit
        Assert.Equal(0x3E, BitConverter.ToUInt16(header, 18));  // x86-64: Lambda's x86_64 architecture
    }

    [Fact]
    public async Task Unpacked_the_extension_is_the_secretary_binary_of_this_version()
    {
        var extension = Unpack();
        var result = await ProcessRunner.RunAsync(extension, ["--version"], workingDirectory: _opt);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(Expected.Version, result.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unpacked_the_extension_serves_secrets_without_the_repository()
    {
        var extension = Unpack();
        var (agent, _) = await ServerProcess.StartAsync(
            extension, ["serve", "--dev", "--port", "0", "--emulator-port", "0"], DevAgent.BannerEnd(), DevAgent.Environment(Path.Combine(_opt, "home")), workingDirectory: _opt);
        await using var _ = agent;
        var (status, body) = await DevAgent.ReadSecretAsync(agent.Output, "surgicase/api-signing-key");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("dev-signing-key-0000000000000000", JsonNode.Parse(body)!["SecretString"]!.GetValue<string>());
    }

    /// <summary>Unpacks the layer as Lambda does (into a directory standing for /opt), modes included, and returns extensions/secretary.</summary>
    private string Unpack()
    {
        ZipFile.ExtractToDirectory(NativeArtifacts.LayerZip, _opt);
        var extension = Path.Combine(_opt, "extensions", "secretary");
        Assert.True(File.GetUnixFileMode(extension).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute), "extensions/secretary lost its executable bit.");
        return extension;
    }
}
