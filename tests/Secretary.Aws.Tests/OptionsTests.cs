using Amazon.Runtime;
using Secretary.Aws.Internals;

namespace Secretary.Aws.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new AwsSecretsManagerStoreOptions();

        Assert.Null(options.Region);
        Assert.Empty(options.FallbackRegions);
        Assert.Null(options.ServiceUrl);
        Assert.Null(options.Profile);
        Assert.Null(options.Credentials);
        Assert.Equal(RequestRetryMode.Standard, options.RetryMode);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.False(options.UseFipsEndpoint);
        Assert.False(options.UseDualstackEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RegionBackoff);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxRegionBackoff);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }

    public static TheoryData<Action<AwsSecretsManagerStoreOptions>, string> Invalid => new()
    {
        { o => o.Region = "US_EAST", "Region 'US_EAST'" },
        { o => o.FallbackRegions.Add(new AwsFallbackRegion("nowhere")), "Fallback region 'nowhere'" },
        { o => (o.Region, o.FallbackRegions) = ("us-east-1", [new AwsFallbackRegion("us-east-1")]), "listed more than once" },
        { o => o.FallbackRegions.Add(new AwsFallbackRegion("us-west-2", "ftp://x")), "ServiceUrl of fallback region 'us-west-2'" },
        { o => o.ServiceUrl = "localhost:4566", "ServiceUrl 'localhost:4566'" },
        { o => o.Profile = " ", "Profile must not be blank" },
        { o => o.MaxAttempts = 0, "MaxAttempts 0" },
        { o => o.MaxAttempts = 11, "MaxAttempts 11" },
        { o => o.Timeout = TimeSpan.Zero, "Timeout" },
        { o => o.Timeout = TimeSpan.FromHours(1), "Timeout" },
        { o => o.RegionBackoff = TimeSpan.Zero, "RegionBackoff" },
        { o => o.RegionBackoff = TimeSpan.FromHours(1), "RegionBackoff" },
        { o => o.TimeProvider = null!, "TimeProvider" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_values_are_refused(Action<AwsSecretsManagerStoreOptions> change, string problem)
    {
        var options = new AwsSecretsManagerStoreOptions();
        change(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new AwsSecretsManagerStoreOptions { Region = "x", MaxAttempts = 0, Timeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => new AwsSecretsManagerStore(options));

        Assert.Contains("Region 'x'", error.Message);
        Assert.Contains("MaxAttempts", error.Message);
        Assert.Contains("Timeout", error.Message);
    }

    [Fact]
    public void The_options_are_copied_when_the_store_is_built()
    {
        var options = Options(new Dictionary<string, string>());
        options.Region = "eu-west-1";
        using var store = new AwsSecretsManagerStore(options);
        options.Region = "us-east-1";
        options.FallbackRegions.Add(new AwsFallbackRegion("us-west-2"));

        Assert.Equal("eu-west-1", store.Region);
        Assert.Equal(["eu-west-1"], store.Regions);
    }

    [Fact]
    public void The_region_comes_from_AWS_REGION_then_AWS_DEFAULT_REGION()
    {
        using var both = new AwsSecretsManagerStore(Options(new() { ["AWS_REGION"] = "eu-west-3", ["AWS_DEFAULT_REGION"] = "ap-south-1" }));
        using var fallback = new AwsSecretsManagerStore(Options(new() { ["AWS_DEFAULT_REGION"] = "ap-south-1" }));

        Assert.Equal("eu-west-3", both.Region);
        Assert.Equal("ap-south-1", fallback.Region);
    }

    [Fact]
    public void No_region_anywhere_is_an_error_that_says_where_to_set_one()
    {
        var options = Options(new() { ["AWS_PROFILE"] = "secretary-test-no-such-profile" });

        var error = Assert.Throws<ArgumentException>(() => new AwsSecretsManagerStore(options));

        Assert.Contains("AWS_REGION", error.Message);
    }

    [Fact]
    public void The_endpoint_comes_from_the_service_variable_then_the_global_one_unless_ignored()
    {
        var service = AwsStoreSettings.Resolve(Options(new() { ["AWS_REGION"] = "us-east-1", ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:1", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2" }));
        var global = AwsStoreSettings.Resolve(Options(new() { ["AWS_REGION"] = "us-east-1", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2" }));
        var ignored = AwsStoreSettings.Resolve(Options(new() { ["AWS_REGION"] = "us-east-1", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:2", ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true" }));

        Assert.Equal("http://127.0.0.1:1", service.ServiceUrl);
        Assert.Equal("http://127.0.0.1:2", global.ServiceUrl);
        Assert.Null(ignored.ServiceUrl);
    }

    [Theory]
    [InlineData("us-east-1", false, false, "https://secretsmanager.us-east-1.amazonaws.com")]
    [InlineData("us-east-1", true, false, "https://secretsmanager-fips.us-east-1.amazonaws.com")]
    [InlineData("eu-west-1", false, true, "https://secretsmanager.eu-west-1.api.aws")]
    [InlineData("cn-north-1", false, false, "https://secretsmanager.cn-north-1.amazonaws.com.cn")]
    [InlineData("us-gov-west-1", true, true, "https://secretsmanager-fips.us-gov-west-1.api.aws")]
    public void Endpoints_follow_the_partition_fips_and_dual_stack(string region, bool fips, bool dualStack, string expected)
    {
        Assert.Equal(expected, SecretsManagerConfig.EndpointUrl(region, fips, dualStack));
    }

    [Theory]
    [InlineData("us-west-2", "us-west-2", null)]
    [InlineData("us-west-2=http://127.0.0.1:4567", "us-west-2", "http://127.0.0.1:4567")]
    public void A_fallback_region_parses_from_the_cli_form(string text, string region, string? url)
    {
        var parsed = AwsFallbackRegion.Parse(text);

        Assert.Equal(region, parsed.Region);
        Assert.Equal(url, parsed.ServiceUrl);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "us-west-2", "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "us-east-1", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db")]
    [InlineData("arn:aws:secretsmanager:ap-south-1:123456789012:secret:db", "us-west-2", "arn:aws:secretsmanager:ap-south-1:123456789012:secret:db")]
    [InlineData("plain/name", "us-west-2", "plain/name")]
    public void Arns_of_configured_regions_are_rewritten_for_the_region_tried(string id, string region, string expected)
    {
        Assert.Equal(expected, SecretsManagerJson.ForRegion(id, region, ["us-east-1", "us-west-2"]));
    }

    private static AwsSecretsManagerStoreOptions Options(Dictionary<string, string> environment) => new()
    {
        Credentials = new AnonymousAWSCredentials(),
        Environment = name => environment.GetValueOrDefault(name),
    };
}
