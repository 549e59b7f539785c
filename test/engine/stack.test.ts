// Opening a stack with the real pulumi CLI: a stack file salted by another checkout's passphrase (a second
// clone, a fresh .slipway/) opens when it holds no secrets, and stops with one line when it does.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openStack } from "../../engine/stack";
import { SlipwayInputError } from "../../plan/errors";
import { requireTool } from "../support/tools";

describe("openStack over a stack file another passphrase salted", () => {
  const pulumi = requireTool("pulumi");
  let root: string;
  let project: string;
  const stackFile = () => join(project, "stacks", "Pulumi.local.yaml");
  /** A checkout's own state and passphrase, as a second clone would have. */
  const checkout = (name: string) => ({ ...process.env, PULUMI_BACKEND_URL: `file://${join(root, name)}`, PULUMI_CONFIG_PASSPHRASE: name });

  before(() => {
    root = mkdtempSync(join(tmpdir(), "slipway-stack-salt-"));
    project = join(root, "project");
    mkdirSync(join(project, "stacks"), { recursive: true });
    writeFileSync(join(project, "Pulumi.yaml"), "name: demo\nruntime: nodejs\nstackConfigDir: stacks\n");
    writeFileSync(stackFile(), "# the local stack\nconfig:\n  demo:greeting: hello\n");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("re-salts a file without secrets for this checkout's passphrase, keeping its settings", { skip: pulumi.skip }, async () => {
    await openStack({ projectDir: project, stack: "local", env: checkout("first") });
    const firstSalt = /^encryptionsalt: .*$/m.exec(readFileSync(stackFile(), "utf8"))?.[0];
    assert.ok(firstSalt !== undefined, "the first checkout's pulumi wrote a salt");

    const stack = await openStack({ projectDir: project, stack: "local", env: checkout("second") });
    const text = readFileSync(stackFile(), "utf8");
    const secondSalt = /^encryptionsalt: .*$/m.exec(text)?.[0];
    assert.ok(secondSalt !== undefined && secondSalt !== firstSalt, "the second checkout's salt replaced the first");
    assert.match(text, /^# the local stack$/m);
    assert.equal((await stack.getConfig("demo:greeting")).value, "hello");
  });

  it(
    "stops with one line naming the secret settings when the file holds secrets of another passphrase",
    { skip: pulumi.skip },
    async () => {
      const stack = await openStack({ projectDir: project, stack: "local", env: checkout("second") });
      await stack.setConfig("slipway:token", { value: "s3cret", secret: true });
      const before = readFileSync(stackFile(), "utf8");
      await assert.rejects(openStack({ projectDir: project, stack: "local", env: checkout("third") }), (error: unknown) => {
        assert.ok(error instanceof SlipwayInputError);
        assert.match(
          error.message,
          /^slipway:token = "\(a secret\)": .*Pulumi\.local\.yaml holds slipway:token encrypted with another passphrase than this checkout's; fix: set PULUMI_CONFIG_PASSPHRASE/,
        );
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
      assert.equal(readFileSync(stackFile(), "utf8"), before, "the file is left as it was");
    },
  );
});
