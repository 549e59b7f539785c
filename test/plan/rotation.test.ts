import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SlipwayInputError } from "../../plan/errors";
import {
  RotationPolicy,
  SlotKeys,
  describeSlots,
  ecrSecretNames,
  nameRegistries,
  checkRotationNumber,
  passwordSecretName,
  rotationKey,
  checkSlotKeys,
  slotKeys,
  slotOfStep,
} from "../../plan/rotation";
import { assertGolden } from "../support/golden";

const DAY_MS = 86_400_000;
const at = (iso: string) => () => new Date(iso);
/** A clock that must not be read: generation-only policies never look at the time. */
const noClock = () => {
  throw new Error("the clock was read");
};

interface KeyCase {
  readonly title: string;
  readonly policy: RotationPolicy;
  readonly now: () => Date;
  readonly key: string;
  readonly slots: Omit<SlotKeys, "previous">;
}

const KEY_CASES: readonly KeyCase[] = [
  { title: "unset policy is generation 1", policy: {}, now: noClock, key: "g1", slots: { a: "r1", b: "r0", current: "a", step: 1 } },
  {
    title: "generation 2 moves to slot b",
    policy: { generation: 2 },
    now: noClock,
    key: "g2",
    slots: { a: "r1", b: "r2", current: "b", step: 2 },
  },
  {
    title: "generation 3 rewrites slot a, keeps b",
    policy: { generation: 3 },
    now: noClock,
    key: "g3",
    slots: { a: "r3", b: "r2", current: "a", step: 3 },
  },
  {
    title: "30-day window containing 2024-01-15 starts 2023-12-19 (window 657)",
    policy: { generation: 1, rotationDays: 30 },
    now: at("2024-01-15T12:00:00Z"),
    key: "g1-w2023-12-19",
    slots: { a: "r657-d30", b: "r658-d30", current: "b", step: 658 },
  },
  {
    title: "first millisecond of a window",
    policy: { rotationDays: 30 },
    now: at("2023-12-19T00:00:00Z"),
    key: "g1-w2023-12-19",
    slots: { a: "r657-d30", b: "r658-d30", current: "b", step: 658 },
  },
  {
    title: "last millisecond of the window before",
    policy: { rotationDays: 30 },
    now: at("2023-12-18T23:59:59.999Z"),
    key: "g1-w2023-11-19",
    slots: { a: "r657-d30", b: "r656-d30", current: "a", step: 657 },
  },
  {
    title: "last millisecond of the window",
    policy: { rotationDays: 30 },
    now: at("2024-01-17T23:59:59.999Z"),
    key: "g1-w2023-12-19",
    slots: { a: "r657-d30", b: "r658-d30", current: "b", step: 658 },
  },
  {
    title: "next window starts 2024-01-18",
    policy: { rotationDays: 30 },
    now: at("2024-01-18T00:00:00Z"),
    key: "g1-w2024-01-18",
    slots: { a: "r659-d30", b: "r658-d30", current: "a", step: 659 },
  },
  {
    title: "days are UTC days: a local evening is the next UTC day",
    policy: { rotationDays: 1 },
    now: at("2024-01-15T20:30:00-05:00"),
    key: "g1-w2024-01-16",
    slots: { a: "r19739-d1", b: "r19738-d1", current: "a", step: 19739 },
  },
  {
    title: "a generation bump inside a window rotates too",
    policy: { generation: 2, rotationDays: 90 },
    now: at("2024-01-15T12:00:00Z"),
    key: "g2-w2023-12-19",
    slots: { a: "r221-d90", b: "r220-d90", current: "a", step: 221 },
  },
];

describe("rotationKey and slotKeys", () => {
  KEY_CASES.forEach((c, index) => {
    it(`[${index}] ${c.title}: ${c.key}`, () => {
      const input = { ...c.policy, now: c.now };
      assert.equal(rotationKey(input), c.key);
      const previous = c.slots.current === "a" ? "b" : "a";
      assert.deepEqual(slotKeys(input), { ...c.slots, previous });
    });
  });

  it("reads a generation-only policy without the clock, and a windowed one with it", () => {
    assert.equal(rotationKey({ generation: 5, now: noClock }), "g5");
    assert.throws(() => rotationKey({ rotationDays: 7, now: noClock }), /the clock was read/);
  });

  it("refuses a clock that returns an invalid or pre-epoch date", () => {
    assert.throws(
      () => rotationKey({ rotationDays: 7, now: () => new Date("not a date") }),
      /^Error: rotation clock returned null; it must return a valid Date at or after 1970-01-01$/,
    );
    assert.throws(
      () => slotKeys({ rotationDays: 7, now: at("1969-12-31T23:59:59Z") }),
      /rotation clock returned "1969-12-31T23:59:59.000Z"/,
    );
  });

  const BAD_POLICIES: readonly [RotationPolicy, string][] = [
    [
      { generation: 0 },
      "slipway:rotation.generation = 0: must be a whole number of at least 1; fix: start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2",
    ],
    [{ generation: 1.5 }, "slipway:rotation.generation = 1.5: must be a whole number of at least 1; fix: start at 1"],
    [{ generation: -3 }, "slipway:rotation.generation = -3: must be a whole number of at least 1"],
    [{ generation: Number.NaN }, "slipway:rotation.generation = null: must be a whole number of at least 1"],
    [
      { rotationDays: 0 },
      "slipway:rotation.rotationDays = 0: must be a whole number of at least 1; fix: use a number of days such as 90, or unset it and rotate by bumping slipway:rotation.generation",
    ],
    [{ rotationDays: 2 ** 53 }, "slipway:rotation.rotationDays = 9007199254740992: must be a whole number of at least 1"],
  ];
  BAD_POLICIES.forEach(([policy, message], index) => {
    it(`[${index}] refuses ${JSON.stringify(policy)}`, () => {
      for (const plan of [rotationKey, slotKeys]) {
        assert.throws(
          () => plan({ ...policy, now: at("2024-01-15T00:00:00Z") }),
          (error: unknown) => error instanceof SlipwayInputError && error.message.startsWith(message),
        );
      }
    });
  });
});

describe("checkRotationNumber: the one rule for rotation.generation and rotation.rotationDays", () => {
  const GOOD: readonly [unknown, number][] = [
    [1, 1],
    [4, 4],
    [90, 90],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ];
  GOOD.forEach(([value, expected], index) => {
    it(`[${index}] takes ${String(value)}`, () => {
      assert.equal(checkRotationNumber(value, "generation"), expected);
      assert.equal(checkRotationNumber(value, "rotationDays"), expected);
    });
  });

  // Pulumi stores `pulumi config set --path slipway:rotation.generation 2` as the number 2: text is refused.
  const BAD: readonly [unknown, string][] = [
    ["4", 'slipway:rotation.generation = "4": must be a whole number of at least 1'],
    ["two", 'slipway:rotation.generation = "two": must be a whole number of at least 1'],
    [true, "slipway:rotation.generation = true: must be a whole number of at least 1"],
    [0, "slipway:rotation.generation = 0: must be a whole number of at least 1"],
    [-1, "slipway:rotation.generation = -1: must be a whole number of at least 1"],
    [2.5, "slipway:rotation.generation = 2.5: must be a whole number of at least 1"],
    [2 ** 53, "slipway:rotation.generation = 9007199254740992: must be a whole number of at least 1"],
    [null, "slipway:rotation.generation = null: must be a whole number of at least 1"],
  ];
  BAD.forEach(([value, message], index) => {
    it(`[${index}] refuses ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => checkRotationNumber(value, "generation"),
        (error: unknown) => error instanceof SlipwayInputError && error.message.startsWith(message),
      );
    });
  });
});

describe("rotation rules, exact messages", () => {
  const refusals: [string, () => unknown, string][] = [
    [
      "generation 0",
      () => checkRotationNumber(0, "generation"),
      "slipway:rotation.generation = 0: must be a whole number of at least 1; fix: start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2",
    ],
    [
      "rotation every 0 days",
      () => checkRotationNumber("0", "rotationDays"),
      'slipway:rotation.rotationDays = "0": must be a whole number of at least 1; fix: use a number of days such as 90, or unset it and rotate by bumping slipway:rotation.generation',
    ],
    [
      "slots with the same key",
      () => checkSlotKeys("ci", { a: "k", b: "k", current: "a", previous: "b", step: 1 }),
      'slipway:ci.slots = {"a":"k","b":"k","current":"a","previous":"b","step":1}: the two slots must have distinct keys and roles; fix: pass the result of slotKeys()',
    ],
    [
      "a registry name with no letter or digit",
      () => nameRegistries([{ name: "--", kind: "local" }]),
      'slipway:registries[0].name = "--": has no letter or digit to name its CI secrets after; fix: use a name such as ecr or ghcr.io',
    ],
  ];
  for (const [title, run, message] of refusals) {
    it(`refuses ${title}`, () => assert.throws(run, (error: unknown) => error instanceof SlipwayInputError && error.message === message));
  }

  it("odd steps are slot a, even steps slot b", () => {
    assert.deepEqual([1, 2, 3, 4].map(slotOfStep), ["a", "b", "a", "b"]);
  });

  it("runs of other characters become one underscore, none at either end", () => {
    const [named] = nameRegistries([{ name: "__ghcr..io--", kind: "external" }]);
    assert.equal(named?.secretPrefix, "SLIPWAY_REGISTRY_GHCR_IO");
  });
});

describe("two-slot schedule properties", () => {
  /** One thing that can happen between two deployments. */
  type Step =
    | { readonly kind: "bump" }
    | { readonly kind: "sameWindow"; readonly fraction: number }
    | { readonly kind: "nextWindow"; readonly fraction: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: "bump" as const }),
    fc.record({ kind: fc.constant("sameWindow" as const), fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
    fc.record({ kind: fc.constant("nextWindow" as const), fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  );

  /** Moves the clock to a point `fraction` of the way through its current (or the next) window. */
  function advance(time: number, rotationDays: number | undefined, s: Step): number {
    if (s.kind === "bump") return time;
    const days = rotationDays ?? 30;
    const windowMs = days * DAY_MS;
    const start = Math.floor(time / windowMs) * windowMs + (s.kind === "nextWindow" ? windowMs : 0);
    // Within the same window the clock may only move forward.
    const earliest = s.kind === "sameWindow" ? time : start;
    return earliest + Math.floor((start + windowMs - earliest) * s.fraction);
  }

  it("changes exactly one slot per rotation, alternately, and keeps the last current value live", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.array(step, { maxLength: 30 }),
        (generation0, rotationDays, time0, steps) => {
          let generation = generation0;
          let time = time0;
          const evaluate = () => {
            const input = { generation, rotationDays, now: () => new Date(time) };
            return { key: rotationKey(input), slots: slotKeys(input) };
          };
          let before = evaluate();
          for (const s of steps) {
            if (s.kind === "bump") generation += 1;
            time = advance(time, rotationDays, s);
            const after = evaluate();
            const changed = (["a", "b"] as const).filter((slot) => before.slots[slot] !== after.slots[slot]);
            assert.ok(changed.length <= 1, `both slots changed: ${JSON.stringify([before, after])}`);
            assert.equal(changed.length === 1, before.key !== after.key, "slots change exactly when the rotation key does");
            if (changed.length === 1) {
              assert.deepEqual(changed, [after.slots.current], "the rewritten slot becomes current");
              assert.equal(after.slots.current, before.slots.previous, "slots alternate");
              assert.equal(after.slots[after.slots.previous], before.slots[before.slots.current], "the last current value is still live");
            } else {
              assert.deepEqual(after.slots, before.slots);
            }
            before = after;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rotates on every generation bump and on every new window, and at no other time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        step,
        (generation, rotationDays, time, s) => {
          const key = (g: number, t: number) => rotationKey({ generation: g, rotationDays, now: () => new Date(t) });
          const next = advance(time, rotationDays, s);
          const g = s.kind === "bump" ? generation + 1 : generation;
          assert.equal(key(g, next) !== key(generation, time), s.kind !== "sameWindow");
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("describeSlots", () => {
  it("logs keys and roles, one line per deployment", () => {
    const lines = [1, 2, 3, 4].map((generation) => describeSlots("demo push credentials", slotKeys({ generation, now: noClock })));
    lines.push(describeSlots("windowed", slotKeys({ generation: 1, rotationDays: 30, now: at("2024-01-18T00:00:00Z") })));
    assertGolden("secrets-rotation-log.txt", `${lines.join("\n")}\n`);
  });
});

describe("nameRegistries", () => {
  const CASES: readonly [string, string, string][] = [
    ["ecr", "ecr", "SLIPWAY_REGISTRY_ECR"],
    ["ghcr.io", "ghcr-io", "SLIPWAY_REGISTRY_GHCR_IO"],
    ["127.0.0.1:5000", "127-0-0-1-5000", "SLIPWAY_REGISTRY_127_0_0_1_5000"],
    ["-Local_Registry-", "local-registry", "SLIPWAY_REGISTRY_LOCAL_REGISTRY"],
  ];
  CASES.forEach(([name, slug, prefix], index) => {
    it(`[${index}] ${name} → ${slug}, ${prefix}_…`, () => {
      const [named] = nameRegistries([{ name, kind: "local" }]);
      assert.deepEqual(named, { registry: { name, kind: "local" }, slug, secretPrefix: prefix });
    });
  });

  it("names the secrets of each kind", () => {
    const [ecr, local] = nameRegistries([
      { name: "ecr", kind: "ecr" },
      { name: "local", kind: "local" },
    ]);
    assert.ok(ecr !== undefined && local !== undefined);
    assert.deepEqual(ecrSecretNames(ecr), {
      accessKeyId: "SLIPWAY_REGISTRY_ECR_AWS_ACCESS_KEY_ID",
      secretAccessKey: "SLIPWAY_REGISTRY_ECR_AWS_SECRET_ACCESS_KEY",
    });
    assert.equal(passwordSecretName(local), "SLIPWAY_REGISTRY_LOCAL_PASSWORD");
  });

  it("refuses two registries whose secrets would share names", () => {
    assert.throws(
      () =>
        nameRegistries([
          { name: "registry.example.com", kind: "external" },
          { name: "ecr", kind: "ecr" },
          { name: "Registry-Example-Com", kind: "local" },
        ]),
      (error: unknown) =>
        error instanceof SlipwayInputError &&
        error.message ===
          'slipway:registries[2].name = "Registry-Example-Com": its CI secrets would have the same names as those of registry "registry.example.com" (SLIPWAY_REGISTRY_REGISTRY_EXAMPLE_COM_…); fix: give the registries names that differ in letters or digits',
    );
  });

  it("refuses a name with no letter or digit", () => {
    assert.throws(
      () => nameRegistries([{ name: "--", kind: "local" }]),
      /^SlipwayInputError: slipway:registries\[0\]\.name = "--": has no letter or digit/,
    );
  });
});

describe("checkSlotKeys", () => {
  it("accepts slotKeys() and refuses slots sharing a key or a role", () => {
    const slots = slotKeys({ generation: 3, now: () => new Date(0) });
    assert.doesNotThrow(() => checkSlotKeys("keys", slots));
    assert.throws(
      () => checkSlotKeys("keys", { ...slots, b: slots.a }),
      /^SlipwayInputError: slipway:keys\.slots = .*distinct keys and roles/,
    );
    assert.throws(() => checkSlotKeys("keys", { ...slots, previous: slots.current }), /distinct keys and roles/);
  });
});
