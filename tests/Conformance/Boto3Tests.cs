using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>boto3 against the emulator process: every check of boto3_checks.py is its own test (one process each).</summary>
public sealed class Boto3Tests : IClassFixture<EmulatorProcessFixture>
{
    private readonly EmulatorProcessFixture _fixture;

    public Boto3Tests(EmulatorProcessFixture fixture) => _fixture = fixture;

    private static readonly string[] CheckNames =
    [
        "sts_get_caller_identity", "sts_invalid_credentials",
        "filters_match_word_prefixes", "list_secrets_oldest_first_and_sort_by", "force_delete_of_unknown_secret_succeeds",
        "describe_leaves_out_members_without_value", "first_version_pending_also_gets_current", "same_token_other_value_is_resource_exists",
        "random_password_space_is_optional", "validation_messages_name_value_and_index", "lone_surrogate_is_refused_and_nothing_stored",
        "resource_policies", "replication", "cancel_rotate_secret_keeps_pending", "type_and_external_rotation_metadata",
    ];

    public static TheoryData<string> Checks => new(CheckNames);

    [Fact]
    public async Task Boto3IsInstalled()
    {
        var result = await ProcessRunner.RunAsync("python3", ["-c", "import boto3, botocore; print(boto3.__version__)"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, "boto3 must be importable by python3 (scripts/install-test-deps.sh installs it): " + result);
    }

    [Fact]
    public async Task EveryCheckInTheScript_IsATestHere()
    {
        Assert.Equal(CheckNames.Order(StringComparer.Ordinal), await Boto3.ListAsync());
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public Task Check(string name) => Boto3.CheckAsync(_fixture.Emulator.Endpoint, name);
}
