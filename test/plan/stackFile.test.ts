import { describe } from "node:test";
import { hasEncryptionSalt, secureSettings, withoutEncryptionSalt } from "../../plan/stackFile";
import { itReturnsEach } from "../support/inputTables";

const SALT_LINE = "encryptionsalt: v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy";
const SALTED = `# the local stack
config:
  demo:greeting: hello
  demo:token:
    secure: v1:abc
${SALT_LINE}
`;

describe("secureSettings", () => {
  itReturnsEach([
    ["no secrets", () => secureSettings("config:\n  demo:a: b\n"), []],
    ["a secret value", () => secureSettings(SALTED), ["demo:token"]],
    [
      "a secret inside a list",
      () => secureSettings("config:\n  demo:list:\n    - x\n    - secure: v1:zzz\n  demo:plain: y\n"),
      ["demo:list"],
    ],
    [
      "a secret beside plain fields, deep in a structured value",
      () => secureSettings("config:\n  demo:obj:\n    plain: 1\n    inner:\n      secure: v1:q\n"),
      ["demo:obj"],
    ],
    [
      "several, in file order",
      () => secureSettings("config:\n  demo:b:\n    secure: v1:b\n  demo:a:\n    secure: v1:a\n"),
      ["demo:b", "demo:a"],
    ],
    ["a structured value without secrets", () => secureSettings("config:\n  demo:obj:\n    plain: 1\n    list: [a, {b: c}]\n"), []],
    ["the word secure as a plain value", () => secureSettings("config:\n  demo:mode: secure\n  demo:modes: [secure]\n"), []],
    ["null and numeric values", () => secureSettings("config:\n  demo:a: null\n  demo:b: 3\n  demo:c: ~\n"), []],
    ["no config section", () => secureSettings(`${SALT_LINE}\n`), []],
    ["an empty file", () => secureSettings(""), []],
    ["an empty config section", () => secureSettings("config:\n"), []],
  ]);
});

describe("the passphrase salt", () => {
  itReturnsEach([
    ["found on a line of its own", () => hasEncryptionSalt(SALTED), true],
    ["found on the first line", () => hasEncryptionSalt(`${SALT_LINE}\nconfig: {}\n`), true],
    ["not found inside a setting's value", () => hasEncryptionSalt("config:\n  demo:note: encryptionsalt: v1:x\n"), false],
    ["not found in a file without one", () => hasEncryptionSalt("config:\n  demo:a: b\n"), false],
  ]);

  itReturnsEach([
    ["drops the salt line only, keeping comments and settings", () => withoutEncryptionSalt(SALTED), SALTED.replace(`${SALT_LINE}\n`, "")],
    ["drops a last line without a line break", () => withoutEncryptionSalt("config: {}\nencryptionsalt: v1:x"), "config: {}\n"],
    ["drops a CRLF line whole", () => withoutEncryptionSalt("a: b\r\nencryptionsalt: v1:x\r\nc: d\r\n"), "a: b\r\nc: d\r\n"],
    ["drops a first line", () => withoutEncryptionSalt("encryptionsalt: v1:x\nconfig: {}\n"), "config: {}\n"],
    [
      "keeps a setting whose value mentions the salt",
      () => withoutEncryptionSalt("config:\n  demo:note: encryptionsalt: v1:x\n"),
      "config:\n  demo:note: encryptionsalt: v1:x\n",
    ],
    ["keeps a file without one as it is", () => withoutEncryptionSalt("config:\n  demo:a: b\n"), "config:\n  demo:a: b\n"],
  ]);
});
