// The CLI's one I/O module: errors to one line and an exit code, settings spelled as the user typed them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { command, flagFor, guarded, isLive, spellSetting } from "../../cli/io";
import { UsageError } from "../../cli/usage";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd: "/", stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe("guarded", () => {
  const rows: [string, () => number, number, string][] = [
    ["a body's own exit code", () => 0, 0, ""],
    [
      "bad input: exit 2, the setting spelled for stack commands",
      () => {
        throw new SlipwayInputError("commit", "x", "not a commit", "pass --commit <sha>");
      },
      2,
      'error: --commit = "x": not a commit; fix: pass --commit <sha>\n',
    ],
    [
      "a usage error: exit 2, its message",
      () => {
        throw new UsageError("slipway x: --stack is required");
      },
      2,
      "error: slipway x: --stack is required\n",
    ],
    [
      "anything else: exit 1",
      () => {
        throw new Error("registry unreachable");
      },
      1,
      "error: registry unreachable\n",
    ],
  ];
  for (const [title, body, code, stderr] of rows) {
    it(title, async () => {
      const c = capture();
      assert.equal(await guarded(c.io, body), code);
      assert.equal(c.err.join(""), stderr);
      assert.equal(c.out.join(""), "");
    });
  }

  it("spells settings with the speller it is given", async () => {
    const c = capture();
    const code = await guarded(
      c.io,
      () => {
        throw new SlipwayInputError("platforms[2]", "x/y", "unknown platform", "use os/arch");
      },
      flagFor,
    );
    assert.equal(code, 2);
    assert.equal(c.err.join(""), 'error: --platform #3 = "x/y": unknown platform; fix: use os/arch\n');
  });
});

describe("setting spellers", () => {
  const rows: [(key: string) => string, string, string][] = [
    [flagFor, "version", "--version"],
    [flagFor, "tagTemplates[0]", "--tag-template #1"],
    [flagFor, "unknownKey", "unknownKey"],
    [spellSetting, "version", "<version>"],
    [spellSetting, "stack", "--stack"],
    [spellSetting, "registries[0].address", "slipway:registries[0].address"],
  ];
  for (const [spell, key, expected] of rows) it(`${spell.name}(${key})`, () => assert.equal(spell(key), expected));
});

describe("command", () => {
  const spec = { name: "demo", help: "Usage: slipway demo\n", options: { stack: { type: "string" } } } as const;

  it("--help prints the help and does not run the body", async () => {
    const c = capture();
    let ran = false;
    const code = await command(c.io, ["--help"], spec, () => {
      ran = true;
      return Promise.resolve(0);
    });
    assert.deepEqual([code, ran, c.out.join("")], [0, false, "Usage: slipway demo\n"]);
  });

  it("runs the body with the parsed options", async () => {
    const c = capture();
    const code = await command(c.io, ["--stack", "local"], spec, ({ values }) => Promise.resolve(values.stack === "local" ? 0 : 1));
    assert.equal(code, 0);
  });

  it("an unknown option is bad input naming the command", async () => {
    const c = capture();
    const code = await command(c.io, ["--stak", "local"], spec, () => Promise.resolve(0));
    assert.equal(code, 2);
    assert.match(c.err.join(""), /^error: slipway demo: Unknown option '--stak'.*; see slipway demo --help\n$/);
  });
});

describe("isLive", () => {
  const rows: [boolean, Record<string, string>, boolean][] = [
    [true, {}, true],
    [true, { CI: "true" }, false],
    [false, {}, false],
  ];
  for (const [isTTY, env, live] of rows)
    it(`terminal ${isTTY}, ${JSON.stringify(env)} → ${live}`, () => assert.equal(isLive({ cwd: "/", stdout: () => {}, isTTY, env }), live));
});
