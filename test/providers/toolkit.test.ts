// The provider toolkit: the unknown placeholder, the fetch-error line, the first candidate passing a check,
// and the error classes as the engine runs them, i.e. after Pulumi's closure serialisation has rebuilt them
// from source text.
import assert from "node:assert/strict";
import { runInThisContext } from "node:vm";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { GithubApiError } from "../../providers/githubApi";
import { RegistryError } from "../../providers/registryClient";
import { ProviderError, UNKNOWN, containsUnknown, describeFetchError, firstPassing } from "../../providers/toolkit";

describe("containsUnknown", () => {
  const rows: [string, unknown, boolean][] = [
    ["the placeholder itself", UNKNOWN, true],
    ["inside an array", ["a", UNKNOWN], true],
    ["deep inside an object", { a: { b: [1, UNKNOWN] } }, true],
    ["a known string", "04da6b54", false],
    ["the empty string", "", false],
    ["null", null, false],
    ["known nested values", { a: [1, "x"], b: { c: true } }, false],
  ];
  for (const [title, value, expected] of rows) it(title, () => assert.equal(containsUnknown(value), expected));
  it("the placeholder is the one Pulumi hands providers", () => assert.equal(UNKNOWN, pulumi.runtime.unknownValue));
});

describe("ProviderError", () => {
  it("names the provider as its service unless a subclass names its own", () => {
    assert.equal(new ProviderError("ProviderError", "failed", 500).service, "provider");
  });
  const rows: [number | undefined, boolean][] = [
    [undefined, true],
    [200, false],
    [404, false],
    [499, false],
    [500, true],
    [502, true],
  ];
  for (const [status, transient] of rows) {
    it(`status ${String(status)}: ${transient ? "transient" : "not transient"}`, () => {
      assert.equal(new ProviderError("ProviderError", "failed", status).transient, transient);
    });
  }
});

describe("describeFetchError", () => {
  it("names the error and its cause on one line", () => {
    const error = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
    assert.equal(describeFetchError(error), "fetch failed: connect ECONNREFUSED 127.0.0.1:1");
  });
  it("an error without a cause, and a non-error", () => {
    assert.equal(describeFetchError(new Error("aborted")), "aborted");
    assert.equal(describeFetchError("plain"), "plain");
  });
});

interface Thrown {
  readonly error: unknown;
  readonly classes: { readonly Own: unknown; readonly ProviderError: unknown };
}

/** Serialises `throwIt` as a dynamic provider is serialised, evaluates the text, and runs it. */
async function thrownAfterSerialisation(throwIt: () => never, Own: unknown): Promise<Thrown> {
  const serialized = await pulumi.runtime.serializeFunction(() => ({ throwIt, Own, ProviderError }), { allowSecrets: false });
  const module = { exports: {} as Record<string, () => { throwIt: () => never; Own: unknown; ProviderError: unknown }> };
  const load = runInThisContext(`(function (exports, require, module) {\n${serialized.text}\n})`) as (
    exports: unknown,
    req: NodeJS.Require,
    mod: unknown,
  ) => void;
  load(module.exports, require, module);
  const handler = module.exports[serialized.exportName];
  assert.ok(handler !== undefined, "the serialised module exports its handler");
  const made = handler();
  assert.notEqual(made.ProviderError, ProviderError, "the classes are the serialised copies, not these");
  try {
    made.throwIt();
  } catch (error) {
    return { error, classes: { Own: made.Own, ProviderError: made.ProviderError } };
  }
  assert.fail("the serialised function did not throw");
}

describe("provider errors survive closure serialisation", () => {
  const rows: [string, () => never, unknown, string][] = [
    [
      "GithubApiError",
      () => {
        throw new GithubApiError("GitHub GET /repos/acme/hello failed: HTTP 403", 403);
      },
      GithubApiError,
      "GitHub",
    ],
    [
      "RegistryError",
      () => {
        throw new RegistryError("registry 127.0.0.1:1 is unreachable", undefined);
      },
      RegistryError,
      "registry",
    ],
  ];
  for (const [name, throwIt, Own, service] of rows) {
    it(`${name}: instanceof, name, message, status`, async () => {
      const { error, classes } = await thrownAfterSerialisation(throwIt, Own);
      assert.ok(error instanceof (classes.Own as new () => unknown), `instanceof the serialised ${name}`);
      assert.ok(error instanceof (classes.ProviderError as new () => unknown), "instanceof the serialised ProviderError");
      assert.ok(error instanceof Error, "instanceof Error");
      const e = error as ProviderError;
      let original: ProviderError | undefined;
      try {
        throwIt();
      } catch (thrown) {
        original = thrown as ProviderError;
      }
      assert.equal(e.name, name);
      assert.equal(e.message, original?.message);
      assert.equal(e.status, original?.status);
      assert.equal(e.service, service);
      assert.equal(e.transient, original?.transient);
      assert.equal(String(e), `${name}: ${original?.message}`);
    });
  }
});

describe("firstPassing", () => {
  it("tries the candidates in order, one at a time, and stops at the first that passes", async () => {
    const events: string[] = [];
    const check = async (item: string) => {
      events.push(`start ${item}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${item}`);
      return item.startsWith("ok");
    };
    assert.equal(await firstPassing(["bad", "ok-1", "ok-2"], check), "ok-1");
    assert.deepEqual(events, ["start bad", "end bad", "start ok-1", "end ok-1"]);
  });

  it("is undefined when none passes, or there is none", async () => {
    const never = () => Promise.resolve(false);
    assert.equal(await firstPassing(["a", "b"], never), undefined);
    assert.equal(await firstPassing([], () => Promise.resolve(true)), undefined);
  });

  it("passes a failed check's rejection on", async () => {
    await assert.rejects(
      firstPassing(["a"], () => Promise.reject(new Error("cosign exploded"))),
      /cosign exploded/,
    );
  });
});
