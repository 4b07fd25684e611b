// The AWS SDK for JavaScript v3 against the Secretary emulator.
//
// Usage: node checks.mjs ENDPOINT CHECK   runs one check; prints "ok CHECK" and exits 0, or the failure and exits 1
//        node checks.mjs ENDPOINT --all   runs every check, each on its own (a failure stops no other); prints one JSON
//                                         line per check: {"check": NAME, "ok": true|false, "error": TEXT}
//        node checks.mjs --list           prints every check name
//
// Each check makes its own secret names (a random prefix), so checks can share one emulator process.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as sm from "@aws-sdk/client-secrets-manager";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { expect, expectEqual, expectError, main } from "./harness.mjs";

const CHECKS = {};
const check = (name, fn) => { CHECKS[name] = fn; };

class Context {
  constructor(endpoint) {
    this.endpoint = endpoint;
    this.prefix = "js-" + randomUUID().slice(0, 8) + "/";
    this.sm = this.client();
  }
  credentials(secretKey = "test", accessKey = "test") { return { accessKeyId: accessKey, secretAccessKey: secretKey }; }
  client({ region = "us-east-1", secretKey, accessKey } = {}) {
    return new sm.SecretsManagerClient({ endpoint: this.endpoint, region, credentials: this.credentials(secretKey, accessKey), maxAttempts: 1 });
  }
  name(suffix) { return this.prefix + suffix; }
  send(command, client = this.sm) { return client.send(command); }
}

const names = (page) => page.SecretList.map((s) => s.Name);
const epochDays = (a, b) => (a.getTime() - b.getTime()) / 86400000;

check("sts_get_caller_identity", async (c) => {
  const sts = new STSClient({ endpoint: c.endpoint, region: "us-east-1", credentials: c.credentials(), maxAttempts: 1 });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expectEqual([identity.Account, identity.Arn, identity.UserId], ["123456789012", "arn:aws:iam::123456789012:root", "123456789012"], "identity");
  const bad = new STSClient({ endpoint: c.endpoint, region: "us-east-1", credentials: c.credentials("wrong"), maxAttempts: 1 });
  await expectError("SignatureDoesNotMatch", bad.send(new GetCallerIdentityCommand({})), { status: 403 });
});

check("create_get_by_name_arn_partial_arn", async (c) => {
  const name = c.name("get");
  const created = await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: '{"user":"u"}' }));
  expect(new RegExp(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-[A-Za-z0-9]{6}$`).test(created.ARN), created.ARN);
  for (const id of [name, created.ARN, created.ARN.slice(0, -7)]) {
    const value = await c.send(new sm.GetSecretValueCommand({ SecretId: id }));
    expectEqual([value.SecretString, value.VersionId, value.VersionStages], ['{"user":"u"}', created.VersionId, ["AWSCURRENT"]], "value by " + id);
    expect(value.CreatedDate instanceof Date && value.CreatedDate.getFullYear() >= 2024, "CreatedDate is a Date");
  }
});

check("put_and_get_by_version_id_and_stage", async (c) => {
  const name = c.name("put");
  const v1 = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "one" }))).VersionId;
  const put = await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "two" }));
  expectEqual(put.VersionStages, ["AWSCURRENT"], "stages of the new version");
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: name, VersionStage: "AWSPREVIOUS" }))).VersionId, v1, "AWSPREVIOUS");
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: name, VersionId: v1 }))).SecretString, "one", "by version id");
  await expectError("ResourceNotFoundException", c.send(new sm.GetSecretValueCommand({ SecretId: name, VersionId: v1, VersionStage: "AWSCURRENT" })));
});

check("binary_secret_and_its_rotation", async (c) => {
  const name = c.name("bin");
  const bytes = new Uint8Array([0, 1, 254, 255]);
  await c.send(new sm.CreateSecretCommand({ Name: name, SecretBinary: bytes }));
  const value = await c.send(new sm.GetSecretValueCommand({ SecretId: name }));
  expectEqual(Array.from(value.SecretBinary), Array.from(bytes), "SecretBinary");
  expect(value.SecretString === undefined, "no SecretString");
  await c.send(new sm.RotateSecretCommand({ SecretId: name }));
  const rotated = await c.send(new sm.GetSecretValueCommand({ SecretId: name }));
  expect(rotated.SecretBinary.length === 32 && rotated.SecretString === undefined, "a binary secret rotates to 32 new bytes");
});

check("idempotent_client_request_token", async (c) => {
  const name = c.name("idem");
  const token = randomUUID();
  const arn = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "a", ClientRequestToken: token }))).ARN;
  const again = await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "a", ClientRequestToken: token }));
  expectEqual(again.VersionId, token, "same token, same value: same version");
  const message = `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`;
  for (const command of [
    new sm.CreateSecretCommand({ Name: name, SecretString: "b", ClientRequestToken: token }),
    new sm.PutSecretValueCommand({ SecretId: name, SecretString: "b", ClientRequestToken: token }),
    new sm.UpdateSecretCommand({ SecretId: name, SecretString: "b", ClientRequestToken: token }),
  ]) {
    await expectError("ResourceExistsException", c.send(command), { status: 400, message });
  }
});

check("batch_get_secret_value", async (c) => {
  for (const i of [0, 1, 2, 3]) await c.send(new sm.CreateSecretCommand({ Name: c.name("batch/" + i), SecretString: String(i) }));
  await c.send(new sm.DeleteSecretCommand({ SecretId: c.name("batch/3") }));
  const batch = await c.send(new sm.BatchGetSecretValueCommand({ SecretIdList: [c.name("batch/0"), c.name("batch/missing")] }));
  expectEqual(batch.SecretValues.map((v) => v.SecretString), ["0"], "values");
  expectEqual(batch.Errors.map((e) => [e.SecretId, e.ErrorCode]), [[c.name("batch/missing"), "ResourceNotFoundException"]], "errors");
  const values = [];
  let token, pages = 0;
  do {
    const page = await c.send(new sm.BatchGetSecretValueCommand({ Filters: [{ Key: "name", Values: [c.prefix + "batch"] }], MaxResults: 2, NextToken: token }));
    values.push(...page.SecretValues.map((v) => v.SecretString));
    token = page.NextToken;
    pages++;
  } while (token);
  expectEqual([pages, values], [2, ["0", "1", "2"]], "filtered pages leave out the secret scheduled for deletion");
});

check("list_secrets_paginator", async (c) => {
  for (const i of [0, 1, 2, 3, 4]) await c.send(new sm.CreateSecretCommand({ Name: c.name("list/" + i), SecretString: "v" }));
  const pages = [];
  for await (const page of sm.paginateListSecrets({ client: c.sm, pageSize: 2 }, { Filters: [{ Key: "name", Values: [c.prefix + "list"] }] })) pages.push(names(page));
  expectEqual(pages, [[c.name("list/0"), c.name("list/1")], [c.name("list/2"), c.name("list/3")], [c.name("list/4")]], "pages, oldest first");
  await expectError("InvalidNextTokenException", c.send(new sm.ListSecretsCommand({ NextToken: "bm9wZQ==" })), { status: 400 });
});

check("list_secret_version_ids", async (c) => {
  const name = c.name("versions");
  const v1 = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "1" }))).VersionId;
  const v2 = (await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "2" }))).VersionId;
  const v3 = (await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "3" }))).VersionId;
  const listed = await c.send(new sm.ListSecretVersionIdsCommand({ SecretId: name }));
  expectEqual(listed.Versions.map((v) => v.VersionId).sort(), [v2, v3].sort(), "deprecated versions left out");
  const all = await c.send(new sm.ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  expectEqual(all.Versions.map((v) => v.VersionId).sort(), [v1, v2, v3].sort(), "IncludeDeprecated");
  const first = await c.send(new sm.ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 2 }));
  const second = await c.send(new sm.ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 2, NextToken: first.NextToken }));
  expectEqual([first.Versions.length, second.Versions.length, second.NextToken], [2, 1, undefined], "pages");
  await c.send(new sm.GetSecretValueCommand({ SecretId: name }));
  const accessed = (await c.send(new sm.ListSecretVersionIdsCommand({ SecretId: name }))).Versions.find((v) => v.VersionId === v3);
  expect(accessed.LastAccessedDate instanceof Date, "LastAccessedDate after a read");
  expectEqual(accessed.LastAccessedDate.getUTCHours(), 0, "LastAccessedDate is a day");
});

check("update_secret_and_version_stage", async (c) => {
  const name = c.name("stage");
  const v1 = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "one" }))).VersionId;
  const v2 = (await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "two", VersionStages: ["AWSPENDING"] }))).VersionId;
  await expectError("InvalidParameterException", c.send(new sm.UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v2 })));
  await c.send(new sm.UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v2, RemoveFromVersionId: v1 }));
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: name }))).SecretString, "two", "moved AWSCURRENT");
  const updated = await c.send(new sm.UpdateSecretCommand({ SecretId: name, SecretString: "three", Description: "new" }));
  const described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([described.Description, described.VersionIdsToStages[updated.VersionId]], ["new", ["AWSCURRENT"]], "UpdateSecret");
});

check("rotate_secret_built_in", async (c) => {
  const name = c.name("rotate");
  const v1 = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: '{"username":"u","password":"p"}' }))).VersionId;
  const v2 = (await c.send(new sm.RotateSecretCommand({ SecretId: name, RotationRules: { AutomaticallyAfterDays: 30 } }))).VersionId;
  const body = JSON.parse((await c.send(new sm.GetSecretValueCommand({ SecretId: name }))).SecretString);
  expect(body.username === "u" && body.password !== "p" && body.password.length === 32, JSON.stringify(body));
  const described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([described.RotationEnabled, described.VersionIdsToStages[v1], described.VersionIdsToStages[v2]], [true, ["AWSPREVIOUS"], ["AWSCURRENT"]], "after rotation");
  expect(Math.abs(epochDays(described.NextRotationDate, described.LastRotatedDate) - 30) < 0.001, "NextRotationDate 30 days on");
  const later = c.name("later");
  await c.send(new sm.CreateSecretCommand({ Name: later, SecretString: "v" }));
  const notNow = await c.send(new sm.RotateSecretCommand({ SecretId: later, RotationRules: { ScheduleExpression: "rate(10 days)" }, RotateImmediately: false }));
  const laterDescribed = await c.send(new sm.DescribeSecretCommand({ SecretId: later }));
  expect(notNow.VersionId === undefined && laterDescribed.LastRotatedDate === undefined && laterDescribed.NextRotationDate instanceof Date, "RotateImmediately=false only schedules");
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: later }))).SecretString, "v", "value unchanged");
});

check("rotation_function_failed_set_secret_resumed", async (c) => {
  const users = process.env.ROTATION_USERS_FILE;
  expect(users, "ROTATION_USERS_FILE must name the sample function's users file");
  const user = "u" + randomUUID().slice(0, 8);
  const name = c.name("fn");
  const v1 = (await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ username: user, password: "first" }) }))).VersionId;
  const first = await c.send(new sm.RotateSecretCommand({ SecretId: name, RotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:single-user" }));
  let described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([described.VersionIdsToStages[v1], described.VersionIdsToStages[first.VersionId], described.LastRotatedDate], [["AWSCURRENT"], ["AWSPENDING"], undefined], "after the failed setSecret");
  const service = existsSync(users) ? JSON.parse(readFileSync(users, "utf8")) : {};
  service[user] = "first";
  writeFileSync(users, JSON.stringify(service));
  const second = await c.send(new sm.RotateSecretCommand({ SecretId: name }));
  expectEqual(second.VersionId, first.VersionId, "the same version is resumed");
  described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([described.VersionIdsToStages[first.VersionId], described.VersionIdsToStages[v1]], [["AWSCURRENT"], ["AWSPREVIOUS"]], "after the resumed rotation");
  const password = JSON.parse((await c.send(new sm.GetSecretValueCommand({ SecretId: name }))).SecretString).password;
  expectEqual(JSON.parse(readFileSync(users, "utf8"))[user], password, "the service has the new password");
});

check("delete_restore_and_default_recovery_window", async (c) => {
  const name = c.name("delete");
  await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "v" }));
  await expectError("InvalidParameterException", c.send(new sm.DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 5 })));
  const deleted = await c.send(new sm.DeleteSecretCommand({ SecretId: name }));
  const described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expect(Math.abs(epochDays(deleted.DeletionDate, described.DeletedDate) - 30) < 0.001, "default window of 30 days");
  await expectError("InvalidRequestException", c.send(new sm.GetSecretValueCommand({ SecretId: name })), { status: 400 });
  expectEqual(names(await c.send(new sm.ListSecretsCommand({ Filters: [{ Key: "name", Values: [name] }] }))), [], "hidden from ListSecrets");
  expectEqual(names(await c.send(new sm.ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: "name", Values: [name] }] }))), [name], "IncludePlannedDeletion");
  await c.send(new sm.RestoreSecretCommand({ SecretId: name }));
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: name }))).SecretString, "v", "restored");
  await c.send(new sm.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
  await expectError("ResourceNotFoundException", c.send(new sm.DescribeSecretCommand({ SecretId: name })));
  const unknown = await c.send(new sm.DeleteSecretCommand({ SecretId: c.name("never"), ForceDeleteWithoutRecovery: true }));
  expectEqual(unknown.Name, c.name("never"), "forced deletion of an unknown secret succeeds");
  const both = await expectError("InvalidParameterException", c.send(new sm.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 3 })));
  expect(both.message.includes("between 7 and 30"), "the range error comes first: " + both.message);
});

check("tags_and_describe_members", async (c) => {
  const name = c.name("tags");
  await c.send(new sm.CreateSecretCommand({ Name: name }));
  const bare = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  for (const member of ["RotationEnabled", "PrimaryRegion", "VersionIdsToStages", "Tags", "ReplicationStatus"]) expect(!(member in bare) || bare[member] === undefined, member + " present");
  await c.send(new sm.TagResourceCommand({ SecretId: name, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }));
  await c.send(new sm.UntagResourceCommand({ SecretId: name, TagKeys: ["a"] }));
  expectEqual((await c.send(new sm.DescribeSecretCommand({ SecretId: name }))).Tags, [{ Key: "b", Value: "2" }], "after untag");
  await c.send(new sm.UntagResourceCommand({ SecretId: name, TagKeys: ["b"] }));
  expectEqual((await c.send(new sm.DescribeSecretCommand({ SecretId: name }))).Tags, [], "Tags: [] after the last is removed");
  const put = await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "v", VersionStages: ["AWSPENDING"] }));
  expectEqual(put.VersionStages.sort(), ["AWSCURRENT", "AWSPENDING"], "a first AWSPENDING version is also AWSCURRENT");
});

check("filters_and_sorting", async (c) => {
  const a = c.name("prod/AppBeta/x"), b = c.name("dev/app_gamma");
  await c.send(new sm.CreateSecretCommand({ Name: a, Description: "one and two" }));
  await c.send(new sm.CreateSecretCommand({ Name: b, Description: "three", Tags: [{ Key: "Team", Value: "payments-core" }] }));
  const mine = { Key: "name", Values: [c.prefix] };
  const list = async (...filters) => names(await c.send(new sm.ListSecretsCommand({ Filters: [mine, ...filters] })));
  expectEqual(await list({ Key: "all", Values: ["AppBeta"] }), [a], "all: AppBeta");
  expectEqual(await list({ Key: "description", Values: ["one two"] }), [a], "description words");
  expectEqual(await list({ Key: "name", Values: ["prod"] }, { Key: "name", Values: ["dev"] }), [], "same-key filters ANDed");
  expectEqual(await list({ Key: "tag-key", Values: ["Te"] }), [b], "tag-key");
  expectEqual(await list({ Key: "tag-value", Values: ["!payments"] }), [a], "negated tag-value");
  expectEqual(await list({ Key: "primary-region", Values: ["us-east-1"] }), [a, b], "primary-region");
  expectEqual(await list({ Key: "owning-service", Values: ["rds"] }), [], "owning-service");
  expectEqual(names(await c.send(new sm.ListSecretsCommand({ Filters: [mine], SortBy: "name" }))), [b, a], "SortBy name");
  expectEqual(names(await c.send(new sm.ListSecretsCommand({ Filters: [mine], SortOrder: "desc" }))), [b, a], "desc");
  await expectError("ValidationException", c.send(new sm.ListSecretsCommand({ Filters: [mine, { Key: "invalid", Values: ["x"] }] })), {
    message: "1 validation error detected: Value 'invalid' at 'filters.2.member.key' failed to satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, tag-value, primary-region, owning-service, all]",
  });
});

check("get_random_password", async (c) => {
  const password = (await c.send(new sm.GetRandomPasswordCommand({ PasswordLength: 50, ExcludeNumbers: true, ExcludePunctuation: true }))).RandomPassword;
  expect(password.length === 50 && /^[A-Za-z]+$/.test(password), password);
  const short = (await c.send(new sm.GetRandomPasswordCommand({ PasswordLength: 4, IncludeSpace: true }))).RandomPassword;
  expectEqual(short.length, 4, "IncludeSpace is optional, not required");
  await expectError("InvalidParameterException", c.send(new sm.GetRandomPasswordCommand({ PasswordLength: 3 })));
});

check("errors_and_signatures", async (c) => {
  await expectError("ResourceNotFoundException", c.send(new sm.GetSecretValueCommand({ SecretId: c.name("nope") })), { status: 400, message: "Secrets Manager can't find the specified secret." });
  await expectError("InvalidParameterException", c.send(new sm.CreateSecretCommand({ Name: "bad name", SecretString: "v" })));
  await expectError("ValidationException", c.send(new sm.ListSecretsCommand({ MaxResults: 101 })), {
    message: "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
  });
  await expectError("InvalidSignatureException", c.send(new sm.ListSecretsCommand({}), c.client({ secretKey: "wrong" })), { status: 403 });
  await expectError("UnrecognizedClientException", c.send(new sm.ListSecretsCommand({}), c.client({ accessKey: "AKIAOTHER" })), { status: 403 });
  const name = c.name("surrogate");
  await expectError("SerializationException", c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "\ud800" })), { status: 400 });
  await expectError("ResourceNotFoundException", c.send(new sm.DescribeSecretCommand({ SecretId: name })));
});

check("region_from_credential_scope", async (c) => {
  const eu = c.client({ region: "eu-west-3" });
  const arn = (await c.send(new sm.CreateSecretCommand({ Name: c.name("region"), SecretString: "eu" }), eu)).ARN;
  expect(arn.startsWith("arn:aws:secretsmanager:eu-west-3:"), arn);
  await expectError("ResourceNotFoundException", c.send(new sm.GetSecretValueCommand({ SecretId: c.name("region") })));
});

const PRIVATE_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] });
const PUBLIC_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" } });

check("resource_policies", async (c) => {
  const name = c.name("policy");
  await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "v" }));
  expect((await c.send(new sm.GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy === undefined, "no policy yet");
  await c.send(new sm.PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: PRIVATE_POLICY, BlockPublicPolicy: true }));
  expectEqual((await c.send(new sm.GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy, PRIVATE_POLICY, "stored");
  await expectError("PublicPolicyException", c.send(new sm.PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: PUBLIC_POLICY, BlockPublicPolicy: true })), { status: 400 });
  await expectError("MalformedPolicyDocumentException", c.send(new sm.PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: "{" })), { message: "This resource policy contains a syntax error." });
  const passed = await c.send(new sm.ValidateResourcePolicyCommand({ ResourcePolicy: PRIVATE_POLICY }));
  expectEqual([passed.PolicyValidationPassed, passed.ValidationErrors], [true, []], "ValidateResourcePolicy passes");
  const failed = await c.send(new sm.ValidateResourcePolicyCommand({ SecretId: name, ResourcePolicy: PUBLIC_POLICY }));
  expectEqual([failed.PolicyValidationPassed, failed.ValidationErrors.length], [false, 1], "ValidateResourcePolicy of a public policy");
  await c.send(new sm.DeleteResourcePolicyCommand({ SecretId: name }));
  expect((await c.send(new sm.GetResourcePolicyCommand({ SecretId: name }))).ResourcePolicy === undefined, "deleted");
  await expectError("ResourceNotFoundException", c.send(new sm.GetResourcePolicyCommand({ SecretId: c.name("missing") })));
});

check("replication", async (c) => {
  const name = c.name("replicated");
  const created = await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "one", AddReplicaRegions: [{ Region: "eu-west-1" }] }));
  expectEqual(created.ReplicationStatus.map((s) => [s.Region, s.Status]), [["eu-west-1", "InSync"]], "ReplicationStatus");
  const eu = c.client({ region: "eu-west-1" });
  const replica = await c.send(new sm.GetSecretValueCommand({ SecretId: name }), eu);
  expectEqual([replica.SecretString, replica.ARN], ["one", created.ARN.replace(":us-east-1:", ":eu-west-1:")], "replica");
  await expectError("InvalidParameterException", c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "x" }), eu), {
    message: "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
  });
  await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "two" }));
  expectEqual((await c.send(new sm.GetSecretValueCommand({ SecretId: name }), eu)).SecretString, "two", "writes reach the replica");
  const primary = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([primary.PrimaryRegion, primary.ReplicationStatus.length], ["us-east-1", 1], "primary");
  await c.send(new sm.ReplicateSecretToRegionsCommand({ SecretId: name, AddReplicaRegions: [{ Region: "ap-south-1" }] }));
  await expectError("InvalidParameterException", c.send(new sm.ReplicateSecretToRegionsCommand({ SecretId: name, AddReplicaRegions: [{ Region: "us-east-1" }] })), { message: "Invalid replica region." });
  const removed = await c.send(new sm.RemoveRegionsFromReplicationCommand({ SecretId: name, RemoveReplicaRegions: ["ap-south-1"] }));
  expectEqual(removed.ReplicationStatus.map((s) => s.Region), ["eu-west-1"], "after RemoveRegionsFromReplication");
  await c.send(new sm.StopReplicationToReplicaCommand({ SecretId: name }), eu);
  expect((await c.send(new sm.DescribeSecretCommand({ SecretId: name }), eu)).PrimaryRegion === undefined, "promoted to standalone");
});

check("cancel_rotate_secret_and_newest_members", async (c) => {
  const name = c.name("cancel");
  await c.send(new sm.CreateSecretCommand({ Name: name, SecretString: "v", Type: "SalesforceClientSecret" }));
  await c.send(new sm.RotateSecretCommand({
    SecretId: name, RotationRules: { AutomaticallyAfterDays: 7 }, RotateImmediately: false,
    ExternalSecretRotationMetadata: [{ Key: "org", Value: "acme" }], ExternalSecretRotationRoleArn: "arn:aws:iam::123456789012:role/partner",
  }));
  const pending = (await c.send(new sm.PutSecretValueCommand({ SecretId: name, SecretString: "w", VersionStages: ["AWSPENDING"] }))).VersionId;
  expectEqual((await c.send(new sm.CancelRotateSecretCommand({ SecretId: name }))).VersionId, pending, "CancelRotateSecret VersionId");
  const described = await c.send(new sm.DescribeSecretCommand({ SecretId: name }));
  expectEqual([described.RotationEnabled, described.VersionIdsToStages[pending], described.Type, described.ExternalSecretRotationMetadata, described.ExternalSecretRotationRoleArn],
    [false, ["AWSPENDING"], "SalesforceClientSecret", [{ Key: "org", Value: "acme" }], "arn:aws:iam::123456789012:role/partner"], "after CancelRotateSecret");
});

await main(CHECKS, Context, "checks.mjs");
