using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Secretary.Hosting.Tests;

/// <summary>In a hosted app the file store's refusal of Production follows the host's environment, not only the variables.</summary>
[Collection(StaticFacadeCollection.Name)]
public sealed class FileStoreEnvironmentTests
{
    private static IHost Build(string environment, params (string Key, string Value)[] extra)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        var settings = new Dictionary<string, string?>
        {
            ["Secretary:Store"] = "file",
            ["Secretary:File:Path"] = Path.Combine(RepoRoot.Path, "samples", "dev-secrets.json"),
            ["Secretary:UseStaticFacade"] = "false",
            ["Secretary:WarmOnStart"] = "false",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSecretary();
        return builder.Build();
    }

    [Fact]
    public void A_Production_host_gets_no_file_store_whatever_the_variables_say()
    {
        // The host is Production (its default when no variable is set); the process's own variables are not consulted.
        using var host = Build(Environments.Production);

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ISecretStore>());
        Assert.Contains("refuses to run in Production", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Development_host_reads_the_file_and_Production_can_opt_in()
    {
        using var development = Build(Environments.Development);
        using var allowed = Build(Environments.Production, ("Secretary:File:AllowInProduction", "true"));

        foreach (var host in new[] { development, allowed })
        {
            var secret = await host.Services.GetRequiredService<SecretCache>().GetAsync("surgicase/main");
            Assert.Equal("surgicase/main", secret.Name);
        }
    }

    [Fact]
    public void An_explicit_environment_name_wins_over_the_hosts()
    {
        using var host = Build(Environments.Development, ("Secretary:File:EnvironmentName", "Production"));

        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ISecretStore>());
    }
}
