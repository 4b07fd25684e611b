// The harness of the check scripts (checks.mjs, ssm-checks.mjs): expectations and the command line.
//
// Usage of a script: node SCRIPT ENDPOINT CHECK   runs one check; prints "ok CHECK" and exits 0, or the failure and exits 1
//                    node SCRIPT ENDPOINT --all   runs every check, each on its own (a failure stops no other); prints one
//                                                 JSON line per check: {"check": NAME, "ok": true|false, "error": TEXT}
//                    node SCRIPT --list           prints every check name

export function fail(message) { throw new Error(message); }
export function expect(condition, message = "expectation failed") { if (!condition) fail(message); }
export function expectEqual(actual, expected, what = "value") {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}
export async function expectError(name, promise, { status, message } = {}) {
  try {
    await promise;
  } catch (e) {
    expectEqual(e.name, name, "error name");
    if (status !== undefined) expectEqual(e.$metadata?.httpStatusCode, status, "status of " + name);
    if (message !== undefined) expectEqual(e.message, message, "message of " + name);
    return e;
  }
  fail(`expected ${name}`);
}

/** Runs CHECKS (name → async (context) => void) as the usage above says, each with a new Context(endpoint). */
export async function main(CHECKS, Context, script) {
  const [, , endpoint, name] = process.argv;
  if (endpoint === "--list") {
    console.log(Object.keys(CHECKS).sort().join("\n"));
  } else if (endpoint && name === "--all") {
    for (const check of Object.keys(CHECKS).sort()) {
      try {
        await CHECKS[check](new Context(endpoint));
        console.log(JSON.stringify({ check, ok: true }));
      } catch (e) {
        console.log(JSON.stringify({ check, ok: false, error: String(e.stack ?? e) }));
      }
    }
  } else if (!endpoint || !CHECKS[name]) {
    console.error(`usage: node ${script} ENDPOINT CHECK | --list`);
    process.exit(2);
  } else {
    try {
      await CHECKS[name](new Context(endpoint));
      console.log("ok " + name);
    } catch (e) {
      console.error(`${name} failed: ${e.stack ?? e}`);
      process.exit(1);
    }
  }
}
