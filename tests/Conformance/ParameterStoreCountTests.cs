using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>
/// The call counts Parameter Store reads must cost, counted by an emulator process of its own (seeded with
/// <c>--parameter-seed</c>): warm-up of 95 parameters through <c>secretary warm</c>, a hierarchy of 250 through the AWS CLI.
/// </summary>
public sealed class ParameterStoreCountTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secretary-conformance-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<EmulatorProcess> StartSeededAsync(IEnumerable<string> names)
    {
        var seed = new JsonObject { ["/outside"] = "x" };
        foreach (var name in names)
        {
            seed[name] = "v" + name;
        }

        var file = Path.Combine(_directory, "parameters.json");
        await File.WriteAllTextAsync(file, seed.ToJsonString());
        return await EmulatorProcess.StartAsync("--parameter-seed", file);
    }

    [Fact]
    public async Task SecretaryWarm_Of95Parameters_Costs10GetParametersCalls()
    {
        var names = Enumerable.Range(0, 95).Select(i => $"/warm/p{i:D3}").ToArray();
        await using var emulator = await StartSeededAsync(names);
        var result = await ProcessRunner.RunCliAsync(["warm", .. names, "--store", "ssm", "--endpoint-url", emulator.Endpoint, "--region", "us-east-1"], AwsCli.Environment());
        Assert.True(result.ExitCode == 0, "secretary warm --store ssm failed: " + result);
        Assert.Equal(95, JsonNode.Parse(result.Stdout)!["successful"]!.GetValue<int>());

        var counts = await emulator.AdminGetAsync("requests");
        Assert.Equal(10, counts["operations"]!["GetParameters"]!.GetValue<long>());
        Assert.Equal(10, counts["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task AHierarchyOf250_IsReadTenAPage_In25GetParametersByPathCalls()
    {
        await using var emulator = await StartSeededAsync(Enumerable.Range(0, 250).Select(i => $"/tree/{i % 5}/p{i:D3}"));
        var all = (await new AwsCli(emulator.Endpoint).ServiceOkAsync("ssm", "get-parameters-by-path", "--path", "/tree", "--recursive"))["Parameters"]!.AsArray();
        Assert.Equal(250, all.Select(p => p!["Name"]!.GetValue<string>()).Distinct().Count());

        // Parameter Store answers at most 10 parameters a call (MaxResults 1..10), so 250 parameters are 25 pages.
        var counts = await emulator.AdminGetAsync("requests");
        Assert.Equal(25, counts["operations"]!["GetParametersByPath"]!.GetValue<long>());
        Assert.Equal(25, counts["total"]!.GetValue<long>());
    }
}
