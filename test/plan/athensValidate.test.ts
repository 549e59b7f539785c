// The shared Athens settings checks (plan/athensValidate.ts): table-driven, exact messages.
import { describe } from "node:test";
import {
  checkDownloadRules,
  checkEndpointUrl,
  checkGosumdb,
  checkLocalListen,
  checkMode,
  checkPrivatePatterns,
  checkUpstream,
  redactUrl,
  sumDbUrl,
  withoutCredentials,
} from "../../plan/athensValidate";
import { BadInput, itRefusesEach, itReturnsEach } from "../support/inputTables";

const BAD_INPUTS: readonly BadInput[] = [
  {
    title: "an unknown mode",
    run: () => checkMode("offline"),
    message:
      'slipway:athens.mode = "offline": unknown Athens mode; fix: use warm or sealed (warm fetches misses, sealed serves storage only)',
  },
  {
    title: "direct as the upstream",
    run: () => checkUpstream("direct"),
    message:
      'slipway:athens.upstream = "direct": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "direct as a GOPROXY fallback",
    run: () => checkUpstream("https://proxy.golang.org,direct"),
    message:
      'slipway:athens.upstream = "https://proxy.golang.org,direct": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a GOPROXY list",
    run: () => checkUpstream("https://a.example.com|https://b.example.com"),
    message:
      'slipway:athens.upstream = "https://a.example.com|https://b.example.com": a single upstream proxy is supported, not a GOPROXY list; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a bad upstream URL",
    run: () => checkUpstream("proxy.golang.org"),
    message:
      'slipway:athens.upstream = "proxy.golang.org": not an http(s) URL; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "plain http to a remote upstream",
    run: () => checkUpstream("http://proxy.example.com"),
    message: 'slipway:athens.upstream = "http://proxy.example.com": plain http is only allowed on loopback; fix: use an https URL',
  },
  {
    title: "credentials in the upstream, never echoed",
    run: () => checkUpstream("https://bot:hunter2@proxy.example.com"),
    message:
      'slipway:athens.upstream = "(value not shown)": an upstream URL must not carry credentials; fix: use a proxy that needs none; private modules go through privatePatterns and a GitHub token',
  },
  {
    title: "a listen host other than loopback",
    run: () => checkLocalListen("0.0.0.0", 3000),
    message: 'slipway:athens.local.host = "0.0.0.0": a local Athens listens on loopback only; fix: use 127.0.0.1',
  },
  {
    title: "localhost (may resolve to ::1 or a LAN address)",
    run: () => checkLocalListen("localhost", 3000),
    message: 'slipway:athens.local.host = "localhost": a local Athens listens on loopback only; fix: use 127.0.0.1',
  },
  {
    title: "a port out of range",
    run: () => checkLocalListen("127.0.0.1", 70000),
    message: "slipway:athens.local.port = 70000: not a TCP port; fix: use a port from 1 to 65535",
  },
  {
    title: "a redirect download rule",
    run: () => checkDownloadRules([{ pattern: "github.com/acme/*", mode: "redirect" }]),
    message:
      'slipway:athens.downloadRules[0].mode = "redirect": redirect modes send clients to another server and are not hermetic; fix: use sync, async, none',
  },
  {
    title: "a download rule pattern with a quote",
    run: () => checkDownloadRules([{ pattern: 'x" {', mode: "sync" }]),
    message:
      'slipway:athens.downloadRules[0].pattern = "x\\" {": not a module path pattern; fix: write a path.Match glob such as github.com/acme/*',
  },
  {
    title: "a comma inside a private pattern",
    run: () => checkPrivatePatterns(["github.com/a/*,github.com/b/*"]),
    message:
      'slipway:athens.privatePatterns[0] = "github.com/a/*,github.com/b/*": not a module path pattern; fix: write a GOPRIVATE glob such as github.com/acme/* (one per entry, no commas)',
  },
  {
    title: "a private pattern matching every module",
    run: () => checkPrivatePatterns(["github.com/acme/*", "*"]),
    message:
      'slipway:athens.privatePatterns[1] = "*": matches public modules too and would switch off their checksum verification; fix: name the private host or organisation, e.g. github.com/acme/*',
  },
  {
    title: "GOSUMDB=off",
    run: () => checkGosumdb("off"),
    message:
      'slipway:athens.gosumdb = "off": turning checksum verification off is not allowed in release builds; fix: leave it unset; a complete go.sum with -mod=readonly never needs the database',
  },
  {
    title: "a checksum database over http",
    run: () => checkGosumdb("sum.example.com+abc http://sum.example.com"),
    message:
      'slipway:athens.gosumdb = "sum.example.com+abc http://sum.example.com": the checksum database URL must be https; fix: write name+publickey https://host',
  },
  {
    title: "an endpoint URL that is not a URL",
    run: () => checkEndpointUrl("127.0.0.1:3000"),
    message: 'slipway:athens.local.url = "127.0.0.1:3000": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "credentials over plain http to another host, redacted",
    run: () => checkEndpointUrl("http://ci:s3cret@athens.example.com"),
    message:
      'slipway:athens.local.url = "http://***@athens.example.com": credentials over plain http leave the machine in clear text; fix: use https for a remote Athens with basic auth',
  },
];

const GOOD: readonly (readonly [string, () => unknown, unknown])[] = [
  ["strips a trailing slash from the upstream", () => checkUpstream("https://goproxy.example.com/"), "https://goproxy.example.com"],
  ["accepts a loopback http upstream", () => checkUpstream("http://127.0.0.1:8080"), "http://127.0.0.1:8080"],
  [
    "sorts private patterns",
    () => checkPrivatePatterns(["github.com/b/*", "github.com/a/*", "github.com/b/*"]),
    ["github.com/a/*", "github.com/b/*"],
  ],
  ["derives the sum DB URL from its name", () => sumDbUrl("sum.golang.org"), "https://sum.golang.org"],
  ["uses an explicit sum DB URL", () => sumDbUrl("sum.example.com+abc+AQ== https://sums.example.com/"), "https://sums.example.com"],
  ["redacts credentials", () => redactUrl("https://ci:a%40b@athens.example.com"), "https://***@athens.example.com"],
  ["strips credentials", () => withoutCredentials("https://ci:pw@athens.example.com/"), "https://athens.example.com"],
];

describe("Athens settings validation", () => {
  itRefusesEach(BAD_INPUTS);
  itReturnsEach(GOOD);
});
