// The RandomSecret dynamic provider, called directly (no engine), plus one mocked registration.
// What this cannot prove: that the engine's dynamic-provider host loads the serialised provider.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SlipwayInputError } from "../../plan/errors";
import {
  DEFAULT_ALPHABET,
  RandomSecret,
  RandomSecretInputs,
  RandomSecretOutputs,
  checkRandomSecretArgs,
  randomSecretProblems,
  randomSecretProvider,
  resolveRandomSecretInputs,
} from "../../providers/randomSecret";
import { Registration, named, recordRegistrations, settle } from "../support/mocks";

const provider = randomSecretProvider;
const BASE: RandomSecretInputs = { rotationKey: "g1", length: 32, alphabet: DEFAULT_ALPHABET };

async function create(inputs: RandomSecretInputs): Promise<{ id: string; outs: RandomSecretOutputs }> {
  const result = await provider.create(inputs);
  assert.ok(result.outs !== undefined);
  return { id: result.id, outs: result.outs };
}

describe("randomSecretProvider.create", () => {
  it("draws `length` characters from the alphabet and echoes the inputs", async () => {
    const { id, outs } = await create(BASE);
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...outs, value: undefined }, { ...BASE, value: undefined });
    assert.match(outs.value, /^[A-Za-z0-9]{32}$/);
    const again = await create(BASE);
    assert.notEqual(again.outs.value, outs.value, "two creates give two values");
    assert.notEqual(again.id, id);
  });

  const ENCODED: readonly [RandomSecretInputs["encoding"], number, RegExp][] = [
    ["hex", 16, /^[0-9a-f]{32}$/],
    ["base64url", 32, /^[A-Za-z0-9_-]{43}$/],
    ["base64", 32, /^[A-Za-z0-9+/]{43}=$/],
  ];
  ENCODED.forEach(([encoding, length, pattern], index) => {
    it(`[${index}] writes ${length} random bytes as ${encoding}`, async () => {
      const { outs } = await create({ rotationKey: "g1", length, encoding });
      assert.match(outs.value, pattern);
    });
  });

  it("draws characters uniformly (no modulo bias)", async () => {
    // With 255 symbols, `byte % 255` would draw the first symbol twice as often as any other.
    const alphabet = Array.from({ length: 255 }, (_, i) => String.fromCodePoint(0x100 + i)).join("");
    const counts = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const { outs } = await create({ rotationKey: "g1", length: 4096, alphabet });
      for (const char of outs.value) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    const draws = 20 * 4096;
    const expected = draws / 255;
    assert.equal(counts.size, 255);
    let chiSquare = 0;
    for (const count of counts.values()) chiSquare += (count - expected) ** 2 / expected;
    // 254 degrees of freedom: mean 254, standard deviation about 22.5; eight deviations is never reached by chance.
    assert.ok(chiSquare < 254 + 8 * 22.5, `chi-square ${chiSquare.toFixed(1)}`);
    const first = counts.get(alphabet[0] ?? "") ?? 0;
    assert.ok(
      Math.abs(first - expected) < 6 * Math.sqrt(expected),
      `first symbol drawn ${first} times, expected about ${expected.toFixed(0)}`,
    );
  });
});

describe("randomSecretProvider.diff and update", () => {
  const OLDS: RandomSecretOutputs = { ...BASE, value: "old-value" };
  const DIFFS: readonly [string, RandomSecretInputs, readonly string[]][] = [
    ["same inputs", BASE, []],
    ["new rotation key", { ...BASE, rotationKey: "g2" }, ["rotationKey"]],
    ["new length", { ...BASE, length: 40 }, ["length"]],
    ["new alphabet", { ...BASE, alphabet: "0123456789abcdef" }, ["alphabet"]],
    ["alphabet to encoding", { rotationKey: "g1", length: 32, encoding: "hex" }, ["alphabet", "encoding"]],
  ];
  DIFFS.forEach(([title, news, replaces], index) => {
    it(`[${index}] ${title}: replaces ${JSON.stringify(replaces)}`, async () => {
      assert.ok(provider.diff !== undefined);
      const diff = await provider.diff("id", OLDS, news);
      assert.deepEqual(diff, { changes: replaces.length > 0, replaces, deleteBeforeReplace: false });
    });
  });

  it("update keeps the value whatever the inputs", async () => {
    assert.ok(provider.update !== undefined);
    const { outs } = await provider.update("id", OLDS, { ...BASE, rotationKey: "g9" });
    assert.deepEqual(outs, { ...BASE, rotationKey: "g9", value: "old-value" });
  });

  it("delete has nothing to remove", async () => {
    assert.ok(provider.delete !== undefined);
    await provider.delete("id", OLDS);
  });
});

describe("randomSecretProblems", () => {
  const CASES: readonly [string, Record<string, unknown>, readonly { property: string; reason: string }[]][] = [
    ["defaults", { ...resolveRandomSecretInputs({}, "g1") }, []],
    ["16 hex bytes are 128 bits", { rotationKey: "g1", length: 16, encoding: "hex" }, []],
    [
      "15 bytes are too few",
      { rotationKey: "g1", length: 15, encoding: "base64" },
      [{ property: "length", reason: "gives 120 bits of entropy; at least 128 are needed" }],
    ],
    [
      "21 letters and digits are too few",
      { ...BASE, length: 21 },
      [{ property: "length", reason: "gives 125 bits of entropy; at least 128 are needed" }],
    ],
    ["length 0", { ...BASE, length: 0 }, [{ property: "length", reason: "must be a whole number from 1 to 4096" }]],
    ["fractional length", { ...BASE, length: 32.5 }, [{ property: "length", reason: "must be a whole number from 1 to 4096" }]],
    ["huge length", { ...BASE, length: 4097 }, [{ property: "length", reason: "must be a whole number from 1 to 4096" }]],
    [
      "empty rotation key",
      { ...BASE, rotationKey: "" },
      [{ property: "rotationKey", reason: "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit" }],
    ],
    [
      "rotation key with a space",
      { ...BASE, rotationKey: "g 1" },
      [{ property: "rotationKey", reason: "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit" }],
    ],
    ["repeated characters", { ...BASE, alphabet: "aab" }, [{ property: "alphabet", reason: "must list at least 2 characters, each once" }]],
    ["one character", { ...BASE, alphabet: "a" }, [{ property: "alphabet", reason: "must list at least 2 characters, each once" }]],
    [
      "both alphabet and encoding",
      { ...BASE, encoding: "hex" },
      [{ property: "alphabet", reason: "set either alphabet or encoding, not both" }],
    ],
    [
      "neither alphabet nor encoding",
      { rotationKey: "g1", length: 32 },
      [{ property: "alphabet", reason: "set either alphabet or encoding" }],
    ],
    [
      "unknown encoding",
      { rotationKey: "g1", length: 32, encoding: "base32" },
      [{ property: "encoding", reason: "must be hex, base64 or base64url" }],
    ],
    ["16 base64 bytes are 128 bits", { rotationKey: "g1", length: 16, encoding: "base64" }, []],
    ["16 base64url bytes are 128 bits", { rotationKey: "g1", length: 16, encoding: "base64url" }, []],
    ["a one-character rotation key", { ...BASE, rotationKey: "g" }, []],
    ["a dotted rotation key", { ...BASE, rotationKey: "release-2026.11_a" }, []],
    ["a 128-character rotation key", { ...BASE, rotationKey: "k".repeat(128) }, []],
    [
      "a 129-character rotation key",
      { ...BASE, rotationKey: "k".repeat(129) },
      [{ property: "rotationKey", reason: "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit" }],
    ],
    [
      "a numeric rotation key",
      { ...BASE, rotationKey: 12 },
      [{ property: "rotationKey", reason: "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit" }],
    ],
    ["the longest length", { ...BASE, length: 4096 }, []],
    [
      "length 1 is in range but too weak",
      { ...BASE, length: 1 },
      [{ property: "length", reason: "gives 5 bits of entropy; at least 128 are needed" }],
    ],
    ["a numeric string length", { ...BASE, length: "32" }, [{ property: "length", reason: "must be a whole number from 1 to 4096" }]],
    ["two characters are enough for 128 draws", { rotationKey: "g1", length: 128, alphabet: "01" }, []],
    [
      "an array alphabet",
      { rotationKey: "g1", length: 32, alphabet: Array.from(DEFAULT_ALPHABET) },
      [{ property: "alphabet", reason: "must list at least 2 characters, each once" }],
    ],
  ];
  CASES.forEach(([title, inputs, problems], index) => {
    it(`[${index}] ${title}`, async () => {
      assert.deepEqual(randomSecretProblems(inputs), problems);
      assert.ok(provider.check !== undefined);
      const checked = await provider.check(BASE, inputs as unknown as RandomSecretInputs);
      assert.deepEqual(checked, { inputs, failures: problems });
    });
  });

  it("component arguments fail with one line naming the argument and the fix", () => {
    assert.throws(
      () => checkRandomSecretArgs("athens-password", resolveRandomSecretInputs({ length: 12 }, "g1")),
      (error: unknown) =>
        error instanceof SlipwayInputError &&
        error.message ===
          "slipway:athens-password.length = 12: gives 71 bits of entropy; at least 128 are needed; fix: use at least 22 letters and digits or 16 random bytes, at most 4096; the default is 32",
    );
  });
});

describe("checkRandomSecretArgs", () => {
  const REFUSALS: readonly [string, RandomSecretInputs, keyof RandomSecretInputs, string, string][] = [
    [
      "a bad rotation key",
      { ...BASE, rotationKey: "g 1" },
      "rotationKey",
      "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit",
      "derive it with rotationKey() or slotKeys() from plan/rotation.ts",
    ],
    [
      "too short",
      { ...BASE, length: 12 },
      "length",
      "gives 71 bits of entropy; at least 128 are needed",
      "use at least 22 letters and digits or 16 random bytes, at most 4096; the default is 32",
    ],
    [
      "a repeated character",
      { ...BASE, alphabet: "aab" },
      "alphabet",
      "must list at least 2 characters, each once",
      "give an alphabet of distinct characters or an encoding (hex, base64, base64url), not both",
    ],
    [
      "an unknown encoding",
      { rotationKey: "g1", length: 32, encoding: "base32" as never },
      "encoding",
      "must be hex, base64 or base64url",
      "give an alphabet of distinct characters or an encoding (hex, base64, base64url), not both",
    ],
  ];
  REFUSALS.forEach(([title, inputs, property, problem, fix], index) => {
    it(`[${index}] ${title}: names ${property} and its fix`, () => {
      assert.throws(
        () => checkRandomSecretArgs("owner", inputs),
        (error: unknown) => {
          assert.ok(error instanceof SlipwayInputError);
          assert.deepEqual(
            { key: error.key, value: error.value, problem: error.problem, fix: error.fix },
            { key: `owner.${property}`, value: inputs[property], problem, fix },
          );
          return true;
        },
      );
    });
  });

  it("accepts good arguments", () => {
    assert.equal(checkRandomSecretArgs("owner", BASE), undefined);
    assert.equal(checkRandomSecretArgs("owner", resolveRandomSecretInputs({ encoding: "hex", length: 16 }, "g1")), undefined);
  });
});

describe("resolveRandomSecretInputs", () => {
  const CASES: readonly [string, Parameters<typeof resolveRandomSecretInputs>[0], RandomSecretInputs][] = [
    ["defaults", {}, { rotationKey: "g1", length: 32, alphabet: DEFAULT_ALPHABET, encoding: undefined }],
    [
      "an alphabet",
      { alphabet: "0123456789abcdef", length: 40 },
      { rotationKey: "g1", length: 40, alphabet: "0123456789abcdef", encoding: undefined },
    ],
    ["an encoding: no default alphabet", { encoding: "hex" }, { rotationKey: "g1", length: 32, alphabet: undefined, encoding: "hex" }],
    ["both, as given", { encoding: "base64", alphabet: "ab" }, { rotationKey: "g1", length: 32, alphabet: "ab", encoding: "base64" }],
  ];
  CASES.forEach(([title, shape, expected], index) => {
    it(`[${index}] ${title}`, () => {
      assert.deepEqual(resolveRandomSecretInputs(shape, "g1"), expected);
    });
  });
});

describe("randomSecretProvider.create without a usable alphabet", () => {
  const CASES: readonly [string, RandomSecretInputs][] = [
    ["no alphabet and no encoding", { rotationKey: "g1", length: 32 }],
    ["one character", { rotationKey: "g1", length: 32, alphabet: "a" }],
    ["an empty alphabet", { rotationKey: "g1", length: 32, alphabet: "" }],
  ];
  CASES.forEach(([title, inputs], index) => {
    it(`[${index}] ${title} fails`, async () => {
      await assert.rejects(provider.create(inputs), {
        message: "RandomSecret needs an alphabet of at least 2 characters or an encoding",
      });
    });
  });

  it("two characters are enough", async () => {
    const { outs } = await create({ rotationKey: "g1", length: 64, alphabet: "01" });
    assert.match(outs.value, /^[01]{64}$/);
  });
});

describe("the serialised provider", () => {
  it("captures no state: nothing but the pure check and its two limits", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    assert.equal(serialized.containsSecrets, false);
    const captured = new Set(
      [...serialized.text.matchAll(/with\(\{ (.*) \}\)/g)].flatMap((match) =>
        (match[1] ?? "").split(", ").map((entry) => entry.split(":")[0]),
      ),
    );
    // Under mutation testing every function also calls Stryker's counters (stryCov_…), which capture these.
    if ("__stryker__" in globalThis) {
      for (const name of captured)
        if (name?.startsWith("stry") === true || ["cov", "cover", "isActive", "ns"].includes(name ?? "")) captured.delete(name);
    }
    assert.deepEqual([...captured].sort(), ["MAX_LENGTH", "MIN_ENTROPY_BITS", "arguments", "provider", "randomSecretProblems", "this"]);
    assert.match(serialized.text, /require\("node:crypto"\)/);
    assert.doesNotMatch(serialized.text, /@pulumi|SlipwayInputError/);
  });
});

describe("RandomSecret resource", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations({ outputs: () => ({ value: "generated" }) });
  });

  it("registers its inputs (never the value) and marks the value secret", async () => {
    const seen: pulumi.ResourceTransformationArgs[] = [];
    const capture: pulumi.ResourceTransformation = (args) => {
      seen.push(args);
      return undefined;
    };
    const secret = new RandomSecret("pw", resolveRandomSecretInputs({}, "g1"), { transformations: [capture] });
    await settle();
    const registered = named(registrations, "pw");
    assert.equal(registered.type, "pulumi-nodejs:dynamic/slipway:RandomSecret");
    assert.deepEqual(Object.keys(registered.inputs).sort(), ["__provider", "alphabet", "length", "rotationKey"]);
    assert.deepEqual(
      { ...registered.inputs, __provider: undefined },
      { __provider: undefined, rotationKey: "g1", length: 32, alphabet: DEFAULT_ALPHABET },
    );
    assert.equal(seen.length, 1);
    assert.deepEqual((seen[0]?.opts as pulumi.CustomResourceOptions).additionalSecretOutputs, ["value"]);
    assert.equal(await new Promise((resolve) => secret.value.apply(resolve)), "generated");
  });
});
