using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>boto3 (boto3_ssm_checks.py) against the emulator process's Parameter Store: every check is its own test.</summary>
public sealed class ParameterStoreBoto3Tests : IClassFixture<EmulatorProcessFixture>
{
    private static readonly string[] CheckNames =
    [
        "put_and_get_string_string_list_and_secure_string", "overwrite_versions_and_selectors", "labels_move_between_versions",
        "get_parameters_lists_invalid_names", "hierarchy_of_250_reads_through_the_paginator", "describe_parameters_filters_and_paginator",
        "tags_add_list_remove", "delete_parameter_and_parameters", "tiers_allowed_pattern_and_data_type", "secrets_manager_reference_path",
        "signature_errors",
    ];

    private readonly EmulatorProcessFixture _fixture;

    public ParameterStoreBoto3Tests(EmulatorProcessFixture fixture) => _fixture = fixture;

    public static TheoryData<string> Checks => new(CheckNames);

    /// <summary>Gets the run of every check; the fixture's emulator is this class's own, since checks count its requests.</summary>
    private CheckRun Run => _fixture.Runs.GetOrAdd("Boto3.ssm", _ => Boto3.RunAll(_fixture.Emulator.Endpoint, _fixture.CheckEnvironment, Boto3.ParameterStoreScript));

    [Fact]
    public async Task EveryCheckInTheScript_IsATestHere() =>
        Assert.Equal(CheckNames.Order(StringComparer.Ordinal), await Boto3.ListAsync(Boto3.ParameterStoreScript));

    [Theory]
    [MemberData(nameof(Checks))]
    public Task Check(string name) => Run.AssertPassedAsync(name);
}
