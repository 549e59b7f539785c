import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { engineEnvironment, findProjectDir, parseExports } from "../../engine/environment";
import { SlipwayInputError } from "../../plan/errors";

const ROOT = realpathSync(mkdtempSync(join(tmpdir(), "slipway-env-")));
after(() => rmSync(ROOT, { recursive: true, force: true }));

function project(name: string): string {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), "name: hello\nruntime: nodejs\n");
  return dir;
}

describe("findProjectDir", () => {
  const outer = project("outer");
  const inner = project("outer/sub/inner");
  mkdirSync(join(outer, "a", "b"), { recursive: true });
  mkdirSync(join(inner, "deep", "er"), { recursive: true });
  const rows: [string, string][] = [
    [outer, outer],
    [join(outer, "a", "b"), outer],
    [join(outer, "sub"), outer],
    [inner, inner],
    [join(inner, "deep", "er"), inner],
    [`${outer}/a/../sub/inner/deep`, inner],
    [`${outer}/a/b/`, outer],
  ];
  for (const [cwd, expected] of rows) {
    it(`${cwd.slice(ROOT.length)} → ${expected.slice(ROOT.length)}`, () => assert.equal(findProjectDir(cwd), expected));
  }

  it("errors with one line when no directory upwards has a Pulumi.yaml", () => {
    const lone = join(ROOT, "lone", "x");
    mkdirSync(lone, { recursive: true });
    assert.throws(
      () => findProjectDir(`${lone}/`),
      (error: unknown) => {
        assert.ok(error instanceof SlipwayInputError);
        assert.equal(
          error.message,
          `slipway:cwd = ${JSON.stringify(lone)}: no Pulumi.yaml here or in a parent directory; fix: run slipway init in your Go repository first, or pass --cwd <repository>`,
        );
        return true;
      },
    );
  });
});

describe("parseExports", () => {
  it("takes export lines, with or without quotes, and fills $VAR and ${VAR} from the environment", () => {
    const script = [
      "# comment",
      'export PATH="/tc/bin:$PATH"',
      "export PLAIN=true",
      'export BRACED="${HOME}/x:${MISSING}:$HOME"',
      'export EMPTY=""',
      "  export INDENTED=no",
      "exported NOPE=1",
      "FOO=bar",
    ].join("\n");
    assert.deepEqual(parseExports(script, { PATH: "/usr/bin:/bin", HOME: "/home/me" }), {
      PATH: "/tc/bin:/usr/bin:/bin",
      PLAIN: "true",
      BRACED: "/home/me/x::/home/me",
      EMPTY: "",
    });
  });

  it("a later export of a name wins", () => {
    assert.deepEqual(parseExports('export A="1"\nexport A="2"\n', {}), { A: "2" });
  });
});

describe("engineEnvironment", () => {
  const toolchainDir = join(ROOT, "toolchain");
  const base = { PATH: "/usr/bin:/bin", HOME: join(ROOT, "home"), SLIPWAY_TOOLCHAIN_DIR: toolchainDir };

  it("generates <project>/.slipway/passphrase once, mode 0600, and creates the file backend", () => {
    const dir = project("generated");
    const passphrase = join(dir, ".slipway", "passphrase");
    const first = engineEnvironment(dir, base);
    assert.equal(first.PATH, `${toolchainDir}/bin:/usr/bin:/bin`);
    assert.equal(first.PULUMI_BACKEND_URL, `file://${dir}/.slipway/state`);
    assert.equal(first.PULUMI_CONFIG_PASSPHRASE_FILE, passphrase);
    assert.equal(first.PULUMI_CONFIG_PASSPHRASE, undefined);
    assert.equal(first.HOME, base.HOME);
    assert.equal(first.PULUMI_SKIP_UPDATE_CHECK, "true");
    assert.ok(statSync(join(dir, ".slipway", "state")).isDirectory());
    const content = readFileSync(passphrase, "utf8");
    assert.match(content, /^[A-Za-z0-9+/]{32}\n$/);
    assert.equal(statSync(passphrase).mode & 0o777, 0o600);

    const second = engineEnvironment(dir, base);
    assert.deepEqual(second, first);
    assert.equal(readFileSync(passphrase, "utf8"), content);
    const other = project("other");
    engineEnvironment(other, base);
    assert.notEqual(readFileSync(join(other, ".slipway", "passphrase"), "utf8"), content);
  });

  it("keeps a passphrase file that already exists", () => {
    const dir = project("existing");
    mkdirSync(join(dir, ".slipway"));
    writeFileSync(join(dir, ".slipway", "passphrase"), "mine\n");
    engineEnvironment(dir, base);
    assert.equal(readFileSync(join(dir, ".slipway", "passphrase"), "utf8"), "mine\n");
  });

  it("keeps an explicit backend and passphrase, dropping the passphrase file", () => {
    const dir = project("explicit");
    const state = join(ROOT, "elsewhere", "state");
    const env = engineEnvironment(dir, { ...base, PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "correct horse" });
    assert.equal(env.PULUMI_BACKEND_URL, `file://${state}`);
    assert.equal(env.PULUMI_CONFIG_PASSPHRASE, "correct horse");
    assert.equal("PULUMI_CONFIG_PASSPHRASE_FILE" in env, false);
    assert.ok(statSync(state).isDirectory());
    assert.equal(existsSync(join(dir, ".slipway")), false);
  });

  it("an empty explicit passphrase is still explicit", () => {
    const dir = project("empty-passphrase");
    const env = engineEnvironment(dir, { ...base, PULUMI_CONFIG_PASSPHRASE: "" });
    assert.deepEqual([env.PULUMI_CONFIG_PASSPHRASE, "PULUMI_CONFIG_PASSPHRASE_FILE" in env], ["", false]);
    assert.equal(existsSync(join(dir, ".slipway", "passphrase")), false);
  });

  it("generates an explicit passphrase file that does not exist yet, and leaves a non-file backend alone", () => {
    const dir = project("explicit-file");
    const file = join(ROOT, "secrets", "pass");
    const env = engineEnvironment(dir, { ...base, PULUMI_CONFIG_PASSPHRASE_FILE: file, PULUMI_BACKEND_URL: "s3://bucket/state" });
    assert.deepEqual([env.PULUMI_CONFIG_PASSPHRASE_FILE, env.PULUMI_BACKEND_URL], [file, "s3://bucket/state"]);
    assert.match(readFileSync(file, "utf8"), /^[A-Za-z0-9+/]{32}\n$/);
    assert.equal(existsSync(join(dir, ".slipway")), false);
  });

  it("drops variables the caller set to undefined", () => {
    const env = engineEnvironment(project("undefined"), { ...base, UNSET: undefined });
    assert.equal("UNSET" in env, false);
  });
});
