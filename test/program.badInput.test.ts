// Bad input through the whole program (program.ts under mocks, the local stack's config plus one bad
// setting): each case stops before anything is declared but the read of the stack's own record, with one
// line naming the setting, the value and the fix.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const SCRIPT = join(__dirname, "support", "stackSnapshot.ts");
const GHCR = JSON.stringify([{ kind: "external", address: "ghcr.io/acme", username: "bot", passwordSecret: "ghcrToken" }]);

const CASES: readonly { title: string; settings: string[]; message: RegExp }[] = [
  { title: "invalid semver", settings: ["slipway:version=1.4"], message: /^slipway:version = "1\.4": not a semantic version; fix: / },
  {
    title: "republishing a version from another commit",
    settings: [`slipway:published=["1.4.0@${"a".repeat(40)}"]`],
    message:
      /^slipway:commit = "5a8b7c3[0-9a-f]+": 1\.4\.0 is already published from commit aaaaaaaaaaaa; published versions are never rewritten; fix: /,
  },
  {
    title: "a published entry that is not a version",
    settings: ['slipway:published=["latest"]'],
    message: /^slipway:published\[0\] = "latest": not a semantic version/,
  },
  {
    title: "a prerelease asked to be latest",
    settings: ["slipway:version=1.5.0-rc.1", "slipway:latest=true"],
    message: /^slipway:latest = "true": 1\.5\.0-rc\.1 is a prerelease, and a prerelease is never latest; fix: /,
  },
  {
    title: "a hotfix asked to be latest below a higher release",
    settings: ["slipway:version=1.3.9", `slipway:published=["1.4.0@${"b".repeat(40)}"]`, "slipway:latest=true"],
    message:
      /^slipway:latest = "true": 1\.4\.0 is published and higher, and latest never moves back; fix: use auto to release 1\.3\.9 without moving latest$/,
  },
  {
    title: "an unknown latest policy",
    settings: ["slipway:latest=always"],
    message: /^slipway:latest = "always": must be auto, true or false; fix: /,
  },
  {
    title: "a Go module not in the proxy while it is sealed (offline)",
    settings: ['slipway:athens={"kind":"local","source":"process","mode":"sealed","storageDir":".slipway/empty-athens-storage"}'],
    message:
      /^slipway:athens\.mode = "sealed": github\.com\/google\/uuid@v1\.6\.0 needed by \S+examples\/hello-go\/go\.sum is not in the proxy's storage \S+empty-athens-storage, and a sealed proxy never downloads; fix: release once with athens\.mode warm/,
  },
  {
    title: "a short commit",
    settings: ["slipway:commit=5a8b7c3"],
    message: /^slipway:commit = "5a8b7c3": not a full commit sha \(40 hex digits\); fix: /,
  },
  {
    title: "a commit time without a zone",
    settings: ["slipway:commitTime=2026-11-20T10:00:00"],
    message: /^slipway:commitTime = "2026-11-20T10:00:00": not an ISO 8601 time with a zone; fix: /,
  },
  {
    title: "an unknown platform",
    settings: ['slipway:platforms=["linux/amd64","plan9/mips"]'],
    message: /^slipway:platforms\[1\] = "plan9\/mips": unknown platform; fix: use os\/arch from go tool dist list /,
  },
  {
    title: "a windows image",
    settings: ['slipway:imagePlatforms=["windows/amd64"]'],
    message: /^slipway:imagePlatforms\[0\] = "windows\/amd64": images run on linux only/,
  },
  {
    title: "an unknown tag placeholder",
    settings: ['slipway:tagTemplates=["v{{build}}"]'],
    message: /^slipway:tagTemplates\[0\] = "v\{\{build\}\}": unknown placeholder \{\{build\}\}/,
  },
  {
    title: "an unknown archive format",
    settings: ["slipway:archives=7z"],
    message: /^slipway:archives = "7z": unknown archive format; fix: use one of tar\.gz, tar\.xz, zip, none$/,
  },
  {
    title: "a malformed registry address",
    settings: ['slipway:registries=[{"kind":"local","address":"https://127.0.0.1:5000"}]'],
    message: /^slipway:registries\[0\]\.address = "https:\/\/127\.0\.0\.1:5000": a registry address has no scheme; fix: /,
  },
  {
    title: "a registry port out of range",
    settings: ['slipway:registries=[{"kind":"local","address":"127.0.0.1:99999"}]'],
    message: /^slipway:registries\[0\]\.address = "127\.0\.0\.1:99999": port 99999 is out of range/,
  },
  {
    title: "a missing registry credential",
    settings: [`slipway:registries=${GHCR}`],
    message:
      /^slipway:ghcrToken = \(unset\): required by registries\[0\] \(ghcr\.io\/acme\) but not set; fix: pulumi config set --secret slipway:ghcrToken <value>$/,
  },
  {
    title: "a credential stored in plain text",
    settings: [`slipway:registries=${GHCR}`, "slipway:ghcrToken=hunter2"],
    message: /^slipway:ghcrToken = "\(value not shown\)": stored in plain text, but it is a credential; fix: /,
  },
  {
    title: "an unreadable Dockerfile",
    settings: ["slipway:dockerfile=examples/hello-go/Containerfile"],
    message: /^slipway:dockerfile = "examples\/hello-go\/Containerfile": \S+ cannot be read; fix: /,
  },
  {
    title: "a module without go.mod",
    settings: ["slipway:module=stacks"],
    message: /^slipway:module = "stacks": \S+go\.mod does not exist; fix: /,
  },
  {
    title: "a changelog without the version's section when notes are required",
    settings: ["slipway:requireReleaseNotes=true", "slipway:version=9.9.9"],
    message: /^slipway:changelog = "examples\/hello-go\/CHANGELOG\.md": has no section for 9\.9\.9; fix: add a "## \[9\.9\.9\]" section/,
  },
  {
    title: "an unpinned base image",
    settings: ["slipway:baseImage=debian:12"],
    message: /^slipway:baseImage = "debian:12": base images are pinned by digest/,
  },
  {
    title: "a base image without its registry",
    settings: [`slipway:baseImage=debian@sha256:${"b".repeat(64)}`],
    message: /^slipway:baseImage = "debian@sha256:b+": base images are pinned by digest, with the registry named; fix: /,
  },
  {
    title: "a base image with no registries",
    settings: ["slipway:registries=[]", `slipway:baseImage=127.0.0.1:5000/base@sha256:${"b".repeat(64)}`],
    message: /^slipway:baseImage = "127\.0\.0\.1:5000\/base@sha256:b+": the stack has no registries, so no image is built on it; fix: /,
  },
  {
    title: "a typo in a setting name",
    settings: ["slipway:platfrom=linux/amd64"],
    message: /^slipway:platfrom = "linux\/amd64": unknown setting; fix: did you mean slipway:platforms\?$/,
  },
  {
    title: "an unknown proxy kind",
    settings: ['slipway:athens={"kind":"gcp"}'],
    message: /^slipway:athens\.kind = "gcp": unknown proxy kind/,
  },
  {
    title: "a proxy listening beyond loopback",
    settings: ['slipway:athens={"kind":"local","source":"process","host":"0.0.0.0"}'],
    message: /^slipway:athens\.local\.host = "0\.0\.0\.0": /,
  },
  {
    title: "rotation generation zero",
    settings: ['slipway:rotation={"generation":0}'],
    message: /^slipway:rotation\.generation = 0: must be a whole number of at least 1/,
  },
  {
    title: "a program name with a slash",
    settings: ["slipway:name=acme/hello"],
    message: /^slipway:name = "acme\/hello": not a usable program name/,
  },
  {
    title: "two registries with one name",
    settings: ['slipway:registries=[{"kind":"local","address":"127.0.0.1:5000"},{"kind":"local","address":"127.0.0.1:5001"}]'],
    message: /^slipway:registries\[1\]\.name = "local": two registries have the same name/,
  },
];

describe("bad input stops the program before anything is declared", () => {
  for (const c of CASES) {
    it(c.title, () => {
      const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "local", ...c.settings], {
        encoding: "utf8",
        env: { ...process.env, SLIPWAY_SNAPSHOT_SECRETS: "none", SLIPWAY_SNAPSHOT_SEQUENCE: "1" },
      });
      assert.equal(run.status, 1, run.stdout);
      const [message = "", registered = "", sequence = ""] = run.stderr.trimEnd().split("\n");
      assert.match(message, c.message);
      assert.doesNotMatch(message, /hunter2/);
      // The one registration allowed is the stack reading its own record of earlier releases; the
      // dynamic-provider host is not started either.
      assert.equal(registered, "registered: 1", run.stderr);
      assert.equal(sequence, 'sequence: ["register pulumi:pulumi:StackReference organization/slipway/local"]', run.stderr);
    });
  }
});
