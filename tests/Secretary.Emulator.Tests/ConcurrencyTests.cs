using System.Net;
using Secretary.Emulator.Tests.Support;
using static Secretary.Emulator.Tests.Support.Json;

namespace Secretary.Emulator.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ParallelPuts_EachGetAVersion_AndExactlyOneIsCurrent_AndCountsAreExact()
    {
        var directory = Directory.CreateTempSubdirectory("secretary-emulator-").FullName;
        try
        {
            await using var emulator = await EmulatorFixture.StartAsync(o => o.DataFile = Path.Combine(directory, "state.json"));
            await emulator.Client.OkAsync("CreateSecret", Obj(("Name", "hot"), ("SecretString", "0")));
            var puts = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => emulator.Client.CallAsync("PutSecretValue", Obj(("SecretId", "hot"), ("SecretString", i.ToString(System.Globalization.CultureInfo.InvariantCulture))))));
            Assert.All(puts, p => Assert.Equal(HttpStatusCode.OK, p.Status));
            Assert.Equal(40, puts.Select(p => p.Json.Str("VersionId")).Distinct().Count());

            var versions = await emulator.Client.OkAsync("ListSecretVersionIds", Obj(("SecretId", "hot"), ("IncludeDeprecated", true)));
            var stages = versions["Versions"]!.AsArray().SelectMany(v => v!["VersionStages"]!.AsArray().Select(s => s!.GetValue<string>())).ToList();
            Assert.Equal(41, versions["Versions"]!.AsArray().Count);
            Assert.Equal(1, stages.Count(s => s == "AWSCURRENT"));
            Assert.Equal(1, stages.Count(s => s == "AWSPREVIOUS"));

            await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => emulator.Client.OkAsync("GetSecretValue", Obj(("SecretId", "hot")))));
            var counts = emulator.Server.GetRequestCounts();
            Assert.Equal(50, counts.For("GetSecretValue"));
            Assert.Equal(40, counts.For("PutSecretValue"));
            Assert.Equal(92, counts.Total); // 1 create + 40 puts + 1 list + 50 gets
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
