using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>The AWS SDK for JavaScript v3 (@aws-sdk/client-secrets-manager from npm) against the emulator process: one test per check.</summary>
public sealed class JsSdkTests : IClassFixture<EmulatorProcessFixture>
{
    private static readonly string[] CheckNames =
    [
        "sts_get_caller_identity", "create_get_by_name_arn_partial_arn", "put_and_get_by_version_id_and_stage", "binary_secret_and_its_rotation",
        "idempotent_client_request_token", "batch_get_secret_value", "list_secrets_paginator", "list_secret_version_ids",
        "update_secret_and_version_stage", "rotate_secret_built_in", "rotation_function_failed_set_secret_resumed",
        "delete_restore_and_default_recovery_window", "tags_and_describe_members", "filters_and_sorting", "get_random_password",
        "errors_and_signatures", "region_from_credential_scope", "resource_policies", "replication", "cancel_rotate_secret_and_newest_members",
    ];

    private readonly EmulatorProcessFixture _fixture;

    public JsSdkTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    /// <summary>Gets the run of every check for this class's emulator (the fixture keeps it, so it runs once).</summary>
    private CheckRun Run => _fixture.Runs.GetOrAdd("JsSdk", _ => JsSdk.RunAll(_fixture.Emulator.Endpoint, _fixture.CheckEnvironment));

    public static TheoryData<string> Checks => new(CheckNames);

    [Fact]
    public async Task EveryCheckInTheScript_IsATestHere()
    {
        Assert.Equal(CheckNames.Order(StringComparer.Ordinal), await JsSdk.ListAsync());
    }

    [Fact]
    public async Task TheInstalledSdk_IsThePinnedVersion()
    {
        await JsSdk.EnsureInstalledAsync();
        var installed = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(JsSdk.Folder, "node_modules", "@aws-sdk", "client-secrets-manager", "package.json")))!;
        Assert.Equal(JsSdk.PinnedVersion, installed["version"]!.GetValue<string>());
        Assert.Matches(@"^\d+\.\d+\.\d+$", JsSdk.PinnedVersion);
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public Task Check(string name) => Run.AssertPassedAsync(name);
}
