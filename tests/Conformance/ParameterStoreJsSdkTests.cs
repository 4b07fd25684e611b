using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>The AWS SDK for JavaScript v3 (@aws-sdk/client-ssm, js/ssm-checks.mjs) against the emulator process's Parameter Store: one test per check.</summary>
public sealed class ParameterStoreJsSdkTests : IClassFixture<EmulatorProcessFixture>
{
    private static readonly string[] CheckNames =
    [
        "put_and_get_string_string_list_and_secure_string", "overwrite_versions_and_selectors", "labels_and_history",
        "get_parameters_lists_invalid_names", "warm_up_of_95_costs_10_get_parameters_calls", "hierarchy_of_250_reads_through_the_paginator",
        "describe_parameters_and_tags", "delete_parameter_and_parameters", "tiers_and_allowed_pattern", "secrets_manager_reference_path",
        "signature_errors",
    ];

    private readonly EmulatorProcessFixture _fixture;

    public ParameterStoreJsSdkTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    public static TheoryData<string> Checks => new(CheckNames);

    /// <summary>Gets the run of every check; the fixture's emulator is this class's own, since checks count its requests.</summary>
    private CheckRun Run => _fixture.Runs.GetOrAdd("JsSdk.ssm", _ => JsSdk.RunAll(_fixture.Emulator.Endpoint, _fixture.CheckEnvironment, JsSdk.ParameterStoreScript));

    [Fact]
    public async Task EveryCheckInTheScript_IsATestHere() =>
        Assert.Equal(CheckNames.Order(StringComparer.Ordinal), await JsSdk.ListAsync(JsSdk.ParameterStoreScript));

    [Fact]
    public async Task TheInstalledSsmClient_IsThePinnedVersion()
    {
        await JsSdk.EnsureInstalledAsync();
        Assert.Matches(@"^\d+\.\d+\.\d+$", JsSdk.Pinned("@aws-sdk/client-ssm"));
        Assert.Equal(JsSdk.Pinned("@aws-sdk/client-ssm"), JsSdk.Installed("@aws-sdk/client-ssm"));
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public Task Check(string name) => Run.AssertPassedAsync(name);
}
