using System.Text.Json.Nodes;
using Secretary.Conformance.Support;

namespace Secretary.Conformance;

/// <summary>boto3 against the emulator process, through boto3_conformance.py (each check asserts inside Python).</summary>
public sealed class Boto3ConformanceTests : IClassFixture<EmulatorProcessFixture>
{
    private static readonly string[] ExpectedChecks =
    [
        "create_get_by_name_arn_partial_arn", "put_and_get_by_version_id_and_stage", "binary_secret", "idempotent_client_request_token",
        "batch_get_ids_with_errors_and_filters_paginated", "describe_and_list_with_paginator", "update_secret_version_stage", "rotate_secret",
        "delete_restore_and_deleted_refuses_reads", "tag_untag", "get_random_password", "error_codes", "bad_signature", "region_from_credential_scope",
    ];

    private readonly EmulatorProcessFixture _fixture;

    public Boto3ConformanceTests(EmulatorProcessFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Boto3IsInstalled()
    {
        var result = await ProcessRunner.RunAsync("python3", ["-c", "import boto3, botocore; print(boto3.__version__)"], new Dictionary<string, string?>());
        Assert.True(result.ExitCode == 0, "boto3 must be importable by python3 (scripts/install-test-deps.sh installs it): " + result);
    }

    [Fact]
    public async Task EveryCheckPasses()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "boto3_conformance.py");
        var environment = AwsCli.Environment();
        var result = await ProcessRunner.RunAsync("python3", [script, _fixture.Emulator.Endpoint], environment, timeout: TimeSpan.FromSeconds(300));
        Assert.True(result.ExitCode == 0, "boto3 conformance failed: " + result);
        var summary = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
        var passed = summary["passed"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(ExpectedChecks, passed);
    }
}
