// The AWS SDK for JavaScript v3 (@aws-sdk/client-ssm) against the Secretary emulator's Parameter Store.
// Usage as harness.mjs says. Each check makes its own parameter names under a random path, so checks can share one
// emulator process.
import { randomUUID } from "node:crypto";
import * as ssm from "@aws-sdk/client-ssm";
import { SecretsManagerClient, CreateSecretCommand } from "@aws-sdk/client-secrets-manager";
import { expect, expectEqual, expectError, main } from "./harness.mjs";

const CHECKS = {};
const check = (name, fn) => { CHECKS[name] = fn; };

class Context {
  constructor(endpoint) {
    this.endpoint = endpoint;
    this.root = "/js-" + randomUUID().slice(0, 8);
    this.ssm = this.client();
  }
  credentials(secretKey = "test", accessKey = "test") { return { accessKeyId: accessKey, secretAccessKey: secretKey }; }
  client({ secretKey, accessKey } = {}) {
    return new ssm.SSMClient({ endpoint: this.endpoint, region: "us-east-1", credentials: this.credentials(secretKey, accessKey), maxAttempts: 1 });
  }
  path(suffix) { return this.root + "/" + suffix; }
  send(command, client = this.ssm) { return client.send(command); }
  async requests() { return (await (await fetch(this.endpoint + "/_emulator/requests")).json()).operations; }
  async resetRequests() {
    const response = await fetch(this.endpoint + "/_emulator/requests/reset", { method: "POST", headers: { "X-Secretary-Admin": "1", "Content-Type": "application/json" } });
    expect(response.ok, "requests/reset answered " + response.status);
  }
}

check("put_and_get_string_string_list_and_secure_string", async (c) => {
  const put = await c.send(new ssm.PutParameterCommand({ Name: c.path("plain"), Value: "one", Type: "String" }));
  expectEqual([put.Version, put.Tier], [1, "Standard"], "PutParameter answer");
  const got = (await c.send(new ssm.GetParameterCommand({ Name: c.path("plain") }))).Parameter;
  expectEqual([got.Name, got.Type, got.Value, got.Version, got.DataType, got.ARN],
    [c.path("plain"), "String", "one", 1, "text", "arn:aws:ssm:us-east-1:123456789012:parameter" + c.path("plain")], "String");
  expect(got.LastModifiedDate instanceof Date && got.LastModifiedDate.getFullYear() >= 2024, "LastModifiedDate is a Date");
  await c.send(new ssm.PutParameterCommand({ Name: c.path("list"), Value: "a,b", Type: "StringList" }));
  expectEqual((await c.send(new ssm.GetParameterCommand({ Name: c.path("list") }))).Parameter.Value, "a,b", "StringList");
  await c.send(new ssm.PutParameterCommand({ Name: c.path("secret"), Value: "s3cr3t", Type: "SecureString" }));
  expect((await c.send(new ssm.GetParameterCommand({ Name: c.path("secret") }))).Parameter.Value !== "s3cr3t", "ciphertext without decryption");
  expectEqual((await c.send(new ssm.GetParameterCommand({ Name: c.path("secret"), WithDecryption: true }))).Parameter.Value, "s3cr3t", "decrypted");
});

check("overwrite_versions_and_selectors", async (c) => {
  const name = c.path("versions");
  await c.send(new ssm.PutParameterCommand({ Name: name, Value: "v1", Type: "String" }));
  await expectError("ParameterAlreadyExists", c.send(new ssm.PutParameterCommand({ Name: name, Value: "v2", Type: "String" })), { status: 400 });
  expectEqual((await c.send(new ssm.PutParameterCommand({ Name: name, Value: "v2", Overwrite: true }))).Version, 2, "version after Overwrite");
  const first = (await c.send(new ssm.GetParameterCommand({ Name: name + ":1" }))).Parameter;
  expectEqual([first.Value, first.Selector], ["v1", ":1"], "name:version");
  await expectError("ParameterVersionNotFound", c.send(new ssm.GetParameterCommand({ Name: name + ":9" })));
  await expectError("ParameterNotFound", c.send(new ssm.GetParameterCommand({ Name: c.path("missing") })), { status: 400 });
});

check("labels_and_history", async (c) => {
  const name = c.path("labelled");
  await c.send(new ssm.PutParameterCommand({ Name: name, Value: "v1", Type: "String" }));
  await c.send(new ssm.PutParameterCommand({ Name: name, Value: "v2", Type: "String", Overwrite: true }));
  const labelled = await c.send(new ssm.LabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ["prod"] }));
  expectEqual([labelled.InvalidLabels, labelled.ParameterVersion], [[], 1], "LabelParameterVersion");
  expectEqual((await c.send(new ssm.GetParameterCommand({ Name: name + ":prod" }))).Parameter.Value, "v1", "name:label");
  const removed = await c.send(new ssm.UnlabelParameterVersionCommand({ Name: name, ParameterVersion: 1, Labels: ["prod", "other"] }));
  expectEqual([removed.RemovedLabels, removed.InvalidLabels], [["prod"], ["other"]], "UnlabelParameterVersion");
  const history = [];
  for await (const page of ssm.paginateGetParameterHistory({ client: c.ssm, pageSize: 1 }, { Name: name })) history.push(...page.Parameters);
  expectEqual(history.map((p) => [p.Version, p.Value]), [[1, "v1"], [2, "v2"]], "history through the paginator");
});

check("get_parameters_lists_invalid_names", async (c) => {
  await c.send(new ssm.PutParameterCommand({ Name: c.path("b"), Value: "B", Type: "String" }));
  await c.send(new ssm.PutParameterCommand({ Name: c.path("a"), Value: "A", Type: "String" }));
  const answer = await c.send(new ssm.GetParametersCommand({ Names: [c.path("b"), c.path("missing"), c.path("a")] }));
  expectEqual(answer.Parameters.map((p) => p.Name), [c.path("a"), c.path("b")], "answered in name order");
  expectEqual(answer.InvalidParameters, [c.path("missing")], "InvalidParameters");
});

check("warm_up_of_95_costs_10_get_parameters_calls", async (c) => {
  const names = Array.from({ length: 95 }, (_, i) => c.path(`warm/p${String(i).padStart(3, "0")}`));
  for (const name of names) await c.send(new ssm.PutParameterCommand({ Name: name, Value: "v" + name, Type: "String" }));
  await c.resetRequests();
  const read = [];
  for (let i = 0; i < names.length; i += 10) {
    read.push(...(await c.send(new ssm.GetParametersCommand({ Names: names.slice(i, i + 10) }))).Parameters);
  }
  expectEqual(read.length, 95, "parameters read");
  expectEqual((await c.requests()).GetParameters, 10, "GetParameters calls");
  await expectError("ValidationException", c.send(new ssm.GetParametersCommand({ Names: names.slice(0, 11) })));
});

check("hierarchy_of_250_reads_through_the_paginator", async (c) => {
  for (let i = 0; i < 250; i++) {
    await c.send(new ssm.PutParameterCommand({ Name: c.path(`tree/${i % 5}/p${String(i).padStart(3, "0")}`), Value: "v" + i, Type: "String" }));
  }
  await c.resetRequests();
  const names = [];
  for await (const page of ssm.paginateGetParametersByPath({ client: c.ssm }, { Path: c.path("tree"), Recursive: true })) {
    names.push(...page.Parameters.map((p) => p.Name));
  }
  expectEqual([names.length, new Set(names).size], [250, 250], "parameters read");
  expectEqual((await c.requests()).GetParametersByPath, 25, "GetParametersByPath calls (at most 10 parameters a call)");
});

check("describe_parameters_and_tags", async (c) => {
  const name = c.path("d/one");
  await c.send(new ssm.PutParameterCommand({ Name: name, Value: "1", Type: "SecureString", Description: "first", Tags: [{ Key: "team", Value: "core" }] }));
  const described = (await c.send(new ssm.DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Values: [name] }] }))).Parameters;
  expectEqual(described.map((p) => [p.Name, p.Type, p.KeyId, p.Description, p.Version, p.Tier]), [[name, "SecureString", "alias/aws/ssm", "first", 1, "Standard"]], "DescribeParameters");
  expect(described[0].Value === undefined, "DescribeParameters answers no value");
  await c.send(new ssm.AddTagsToResourceCommand({ ResourceType: "Parameter", ResourceId: name, Tags: [{ Key: "b", Value: "2" }] }));
  await c.send(new ssm.RemoveTagsFromResourceCommand({ ResourceType: "Parameter", ResourceId: name, TagKeys: ["team"] }));
  expectEqual((await c.send(new ssm.ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name }))).TagList, [{ Key: "b", Value: "2" }], "TagList");
});

check("delete_parameter_and_parameters", async (c) => {
  for (const n of ["x", "y"]) await c.send(new ssm.PutParameterCommand({ Name: c.path(n), Value: n, Type: "String" }));
  await c.send(new ssm.DeleteParameterCommand({ Name: c.path("x") }));
  await expectError("ParameterNotFound", c.send(new ssm.GetParameterCommand({ Name: c.path("x") })));
  const deleted = await c.send(new ssm.DeleteParametersCommand({ Names: [c.path("y"), c.path("x")] }));
  expectEqual([deleted.DeletedParameters, deleted.InvalidParameters], [[c.path("y")], [c.path("x")]], "DeleteParameters");
});

check("tiers_and_allowed_pattern", async (c) => {
  await expectError("ValidationException", c.send(new ssm.PutParameterCommand({ Name: c.path("big"), Value: "x".repeat(4097), Type: "String" })));
  expectEqual((await c.send(new ssm.PutParameterCommand({ Name: c.path("big"), Value: "x".repeat(4097), Type: "String", Tier: "Advanced" }))).Tier, "Advanced", "Tier");
  await expectError("ParameterPatternMismatchException", c.send(new ssm.PutParameterCommand({ Name: c.path("d"), Value: "abc", Type: "String", AllowedPattern: "^[0-9]+$" })));
});

check("secrets_manager_reference_path", async (c) => {
  const sm = new SecretsManagerClient({ endpoint: c.endpoint, region: "us-east-1", credentials: c.credentials(), maxAttempts: 1 });
  const secret = c.root.slice(1) + "/referenced";
  await sm.send(new CreateSecretCommand({ Name: secret, SecretString: "from-secrets-manager" }));
  const got = (await c.send(new ssm.GetParameterCommand({ Name: "/aws/reference/secretsmanager/" + secret, WithDecryption: true }))).Parameter;
  expectEqual([got.Type, got.Value], ["SecureString", "from-secrets-manager"], "the secret through Parameter Store");
  expect(typeof got.SourceResult === "string", "SourceResult");
});

check("signature_errors", async (c) => {
  await expectError("InvalidSignatureException", c.send(new ssm.GetParameterCommand({ Name: c.path("x") }), c.client({ secretKey: "wrong" })));
  await expectError("UnrecognizedClientException", c.send(new ssm.GetParameterCommand({ Name: c.path("x") }), c.client({ accessKey: "AKIAUNKNOWN" })));
});

await main(CHECKS, Context, "ssm-checks.mjs");
