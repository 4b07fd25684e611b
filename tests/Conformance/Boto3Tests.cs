using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>boto3 against the emulator process: every check of boto3_checks.py is its own test (one process each).</summary>
public sealed class Boto3Tests : IClassFixture<EmulatorProcessFixture>
{
    private readonly EmulatorProcessFixture _fixture;

    public Boto3Tests(EmulatorProcessFixture fixture) => _fixture = fixture;

    /// <summary>Gets the run of every check for this class's emulator (the fixture keeps it, so it runs once).</summary>
    private CheckRun Run => _fixture.Runs.GetOrAdd("Boto3", _ => Boto3.RunAll(_fixture.Emulator.Endpoint, _fixture.CheckEnvironment));

    private static readonly string[] CheckNames =
    [
        "sts_get_caller_identity", "sts_invalid_credentials",
        "filters_match_word_prefixes", "list_secrets_oldest_first_and_sort_by", "force_delete_of_unknown_secret_succeeds",
        "describe_leaves_out_members_without_value", "first_version_pending_also_gets_current", "same_token_other_value_is_resource_exists",
        "random_password_space_is_optional", "validation_messages_name_value_and_index", "lone_surrogate_is_refused_and_nothing_stored",
        "resource_policies", "replication", "cancel_rotate_secret_keeps_pending", "type_and_external_rotation_metadata",
        "create_get_by_name_arn_partial_arn", "put_and_get_by_version_id_and_stage", "binary_secret_and_its_rotation", "idempotent_client_request_token",
        "batch_get_ids_errors_and_filters_paginated", "describe_and_list_secrets_paginator", "update_secret_and_version_stage", "rotate_secret_built_in",
        "rotation_function_failed_set_secret_resumed", "delete_restore_and_default_recovery_window", "tag_untag", "get_random_password",
        "error_codes", "bad_signature", "region_from_credential_scope",
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
    public Task Check(string name) => Run.AssertPassedAsync(name);
}
