using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Secretary.Agent;

namespace Secretary.Redis.Tests;

public sealed class OptionsAndMessageTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new RedisBackplaneOptions();

        Assert.Equal("localhost:6379", options.Configuration);
        Assert.Equal("secretary:changes", options.Channel);
        Assert.Null(options.ChannelPrefix);
        Assert.Equal("secretary:changes", options.ChannelName);
        Assert.Null(options.InstanceId);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(1024, options.MaxPendingPublishes);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.MeterFactory);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData(nameof(RedisBackplaneOptions.Configuration), "")]
    [InlineData(nameof(RedisBackplaneOptions.Configuration), "localhost:6379,nonsense=1")]
    [InlineData(nameof(RedisBackplaneOptions.Channel), "")]
    [InlineData(nameof(RedisBackplaneOptions.ChannelPrefix), "has space")]
    [InlineData(nameof(RedisBackplaneOptions.InstanceId), " ")]
    [InlineData(nameof(RedisBackplaneOptions.ConnectTimeout), "00:00:00.010")]
    [InlineData(nameof(RedisBackplaneOptions.MaxPendingPublishes), "0")]
    public void Invalid_values_are_refused(string property, string value)
    {
        var options = new RedisBackplaneOptions();
        var info = typeof(RedisBackplaneOptions).GetProperty(property)!;
        var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
        info.SetValue(options, type == typeof(TimeSpan) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));

        var problem = Assert.Single(options.Validate());
        Assert.StartsWith(property, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_in_one_exception()
    {
        var options = new RedisBackplaneOptions { Configuration = "", Channel = "", MaxPendingPublishes = -1 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisBackplane.ConnectAsync(new SecretCache(new FakeSecretStore()), options));

        Assert.Contains("Configuration", error.Message, StringComparison.Ordinal);
        Assert.Contains("Channel", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPendingPublishes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_is_small_json_with_ids_and_a_timestamp_only()
    {
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(1));
        var json = Encoding.UTF8.GetString(new SecretChangeMessage("db/main", "v-2", "AWSCURRENT", "host/42/ab12cd", at).ToJson());

        Assert.Equal(
            "{\"secretId\":\"db/main\",\"versionId\":\"v-2\",\"versionStage\":\"AWSCURRENT\",\"origin\":\"host/42/ab12cd\",\"observedAt\":\"2026-11-25T09:00:00.0000000Z\"}",
            json);
        Assert.True(SecretChangeMessage.TryParse(Encoding.UTF8.GetBytes(json), out var parsed));
        Assert.Equal(("db/main", "v-2", "AWSCURRENT", "host/42/ab12cd", at), (parsed!.SecretId, parsed.VersionId, parsed.VersionStage, parsed.Origin, parsed.ObservedAt));
        var names = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name);
        Assert.Equal(["secretId", "versionId", "versionStage", "origin", "observedAt"], names);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"secretId\":\"x\"}")]
    [InlineData("{\"secretId\":\"x\",\"origin\":\"o\"}")]
    [InlineData("{\"secretId\":\"x\",\"origin\":\"o\",\"observedAt\":\"yesterday\"}")]
    [InlineData("{\"secretId\":\"\",\"origin\":\"o\",\"observedAt\":\"2026-11-25T09:00:00Z\"}")]
    [InlineData("{\"secretId\":\"x\",\"origin\":\"o\",\"observedAt\":\"2026-11-25T09:00:00Z\"")]
    public void Malformed_messages_are_refused(string json)
    {
        Assert.False(SecretChangeMessage.TryParse(Encoding.UTF8.GetBytes(json), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void Unknown_fields_are_skipped_for_later_versions_of_the_format()
    {
        var json = "{\"v\":2,\"extra\":{\"a\":[1,2]},\"secretId\":\"x\",\"origin\":\"o\",\"observedAt\":\"2026-11-25T09:00:00Z\"}";

        Assert.True(SecretChangeMessage.TryParse(Encoding.UTF8.GetBytes(json), out var message));
        Assert.Equal("x", message!.SecretId);
        Assert.Null(message.VersionId);
    }

    [Fact]
    public void The_agent_reads_redis_from_toml_and_configuration()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "redis = \"10.0.0.5:6380,password=p,ssl=true\"\n");
            var options = new SecretaryAgentOptions();
            SecretaryAgentConfiguration.ApplyToml(options, file);
            Assert.Equal("10.0.0.5:6380,password=p,ssl=true", options.Redis);

            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Secretary:Redis"] = "cache:6379" })
                .Build();
            SecretaryAgentConfiguration.ApplyConfiguration(options, configuration);
            Assert.Equal("cache:6379", options.Redis);
            Assert.Empty(options.Validate());

            options.Redis = " ";
            Assert.Contains(options.Validate(), p => p.StartsWith("redis", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
