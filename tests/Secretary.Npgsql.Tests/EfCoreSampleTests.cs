using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Secretary.Databases.Testing;

namespace Secretary.Npgsql.Tests;

/// <summary>samples/EfCoreApp as it is configured (AddSecretary, AddSecretaryNpgsqlDataSource, UseNpgsql, the interceptor) against the real PostgreSQL and emulator.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EfCoreSampleTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_sample_reads_and_writes_through_a_single_user_rotation_it_has_not_seen()
    {
        var (secretId, user, _) = await fixture.Rig.CreateAppSecretAsync(RotationRig.SingleUser);
        await fixture.Server.ExecuteAsync($"GRANT CREATE ON SCHEMA public TO \"{user}\"", DatabaseServer.AppDatabase);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Secretary:Store", "aws");
            web.UseSetting("Secretary:Aws:Region", SecretsManagerClient.Region);
            web.UseSetting("Secretary:Aws:Endpoint", fixture.Rig.Endpoint.ToString());
            web.UseSetting("Secretary:RequiredSecrets:0", secretId);
            web.UseSetting("Database:SecretId", secretId);
        });
        using var client = app.CreateClient();

        var first = await client.GetFromJsonAsync<JsonObject>("/");
        Assert.Equal(user, (string)first!["user"]!);

        // A new physical connection is needed after the rotation: the pool is cleared, as connections age out.
        await fixture.Rig.RotateAsync(secretId, RotationRig.SingleUser);
        global::Npgsql.NpgsqlConnection.ClearAllPools();
        app.Services.GetRequiredService<SecretaryNpgsqlDataSource>().Current.Clear();
        var second = await client.GetFromJsonAsync<JsonObject>("/");

        Assert.Equal(2, (int)second!["notes"]!);
        Assert.Equal(1, (long)second["retriedOpens"]!);
        Assert.Equal((await fixture.Rig.Client.GetAsync(secretId)).VersionId, (string)second["secretVersion"]!);
    }
}
