using System.Text.Json.Nodes;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

/// <summary>The data file's hygiene: owner-only files, no stale temporary files, a clear error for a missing directory.</summary>
public sealed class DataFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-datafile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DataFile_IsOwnerOnly()
    {
        var data = Path.Combine(_directory, "state.json");
        await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data));
    }

    [Fact]
    public async Task StaleTemporaryFiles_OfAKilledEmulator_AreRemovedAtStart_OthersAreLeftAlone()
    {
        var data = Path.Combine(_directory, "state.json");
        var stale = Path.Combine(_directory, ".state.json." + Guid.NewGuid().ToString("N") + ".tmp");
        var unrelated = Path.Combine(_directory, ".other.json." + Guid.NewGuid().ToString("N") + ".tmp");
        await File.WriteAllTextAsync(stale, """{"Secrets":[{"old":"value"}]}""");
        await File.WriteAllTextAsync(unrelated, "not ours");
        await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public async Task DataFileInAMissingDirectory_FailsTheStart_WithOneClearLine()
    {
        var data = Path.Combine(_directory, "missing", "state.json");
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DataFile = data }));
        Assert.Contains(Path.Combine(_directory, "missing"), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public async Task ALooseDataFileLeftByAnOlderVersion_IsTightenedByTheFirstWrite()
    {
        var data = Path.Combine(_directory, "state.json");
        await File.WriteAllTextAsync(data, new JsonObject { ["FormatVersion"] = 1, ["Secrets"] = new JsonArray() }.ToJsonString());
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = data);
        await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "s"), ("SecretString", "v")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data));
    }
}
