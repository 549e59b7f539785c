// The shared Athens settings checks (plan/athensValidate.ts): table-driven, exact messages.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkDownloadRules,
  checkEndpointUrl,
  checkGosumdb,
  checkLocalListen,
  checkMode,
  checkPrivatePatterns,
  checkUpstream,
  hasCredentials,
  redactCredentialsOf,
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
    title: "an unset upstream",
    run: () => checkUpstream(undefined),
    message:
      "slipway:athens.upstream = (unset): an upstream module proxy URL is required; fix: set one module proxy URL such as https://proxy.golang.org",
  },
  {
    title: "a blank upstream",
    run: () => checkUpstream(" "),
    message:
      'slipway:athens.upstream = " ": an upstream module proxy URL is required; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "direct after a comma and a space",
    run: () => checkUpstream("https://proxy.golang.org, direct"),
    message:
      'slipway:athens.upstream = "https://proxy.golang.org, direct": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "off as the upstream",
    run: () => checkUpstream("off"),
    message:
      'slipway:athens.upstream = "off": `direct` and `off` are not module proxies (direct bypasses every proxy and is not hermetic); fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "an ftp upstream",
    run: () => checkUpstream("ftp://proxy.example.com"),
    message:
      'slipway:athens.upstream = "ftp://proxy.example.com": not an http(s) URL; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a user name alone in the upstream",
    run: () => checkUpstream("https://bot@proxy.example.com"),
    message:
      'slipway:athens.upstream = "(value not shown)": an upstream URL must not carry credentials; fix: use a proxy that needs none; private modules go through privatePatterns and a GitHub token',
  },
  {
    title: "a password alone in the upstream",
    run: () => checkUpstream("https://:hunter2@proxy.example.com"),
    message:
      'slipway:athens.upstream = "(value not shown)": an upstream URL must not carry credentials; fix: use a proxy that needs none; private modules go through privatePatterns and a GitHub token',
  },
  {
    title: "an upstream with a query",
    run: () => checkUpstream("https://proxy.example.com/?v=1"),
    message:
      'slipway:athens.upstream = "https://proxy.example.com/?v=1": a proxy URL has no query or fragment; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "an upstream with a fragment",
    run: () => checkUpstream("https://proxy.example.com/#top"),
    message:
      'slipway:athens.upstream = "https://proxy.example.com/#top": a proxy URL has no query or fragment; fix: set one module proxy URL such as https://proxy.golang.org',
  },
  {
    title: "a listen port of 0",
    run: () => checkLocalListen("127.0.0.1", 0),
    message: "slipway:athens.local.port = 0: not a TCP port; fix: use a port from 1 to 65535",
  },
  {
    title: "a fractional listen port",
    run: () => checkLocalListen("127.0.0.1", 3000.5),
    message: "slipway:athens.local.port = 3000.5: not a TCP port; fix: use a port from 1 to 65535",
  },
  {
    title: "a listen port written as a string",
    run: () => checkLocalListen("127.0.0.1", "3000"),
    message: 'slipway:athens.local.port = "3000": not a TCP port; fix: use a port from 1 to 65535',
  },
  {
    title: "download rules that are not a list",
    run: () => checkDownloadRules({ pattern: "github.com/acme/*", mode: "sync" }),
    message:
      'slipway:athens.downloadRules = {"pattern":"github.com/acme/*","mode":"sync"}: must be a list of {pattern, mode}; fix: write e.g. [{pattern: "github.com/acme/*", mode: "sync"}]',
  },
  {
    title: "a null download rule",
    run: () => checkDownloadRules([null]),
    message:
      'slipway:athens.downloadRules[0] = null: must be {pattern, mode}; fix: write e.g. {pattern: "github.com/acme/*", mode: "sync"}',
  },
  {
    title: "a download rule written as a bare pattern",
    run: () => checkDownloadRules(["github.com/acme/*"]),
    message:
      'slipway:athens.downloadRules[0] = "github.com/acme/*": must be {pattern, mode}; fix: write e.g. {pattern: "github.com/acme/*", mode: "sync"}',
  },
  {
    title: "a download rule without a pattern",
    run: () => checkDownloadRules([{ mode: "sync" }]),
    message:
      "slipway:athens.downloadRules[0].pattern = (unset): not a module path pattern; fix: write a path.Match glob such as github.com/acme/*",
  },
  {
    title: "an async_redirect download rule",
    run: () => checkDownloadRules([{ pattern: "github.com/acme/*", mode: "async_redirect" }]),
    message:
      'slipway:athens.downloadRules[0].mode = "async_redirect": redirect modes send clients to another server and are not hermetic; fix: use sync, async, none',
  },
  {
    title: "an unknown download mode",
    run: () =>
      checkDownloadRules([
        { pattern: "github.com/acme/*", mode: "sync" },
        { pattern: "github.com/other/*", mode: "eager" },
      ]),
    message: 'slipway:athens.downloadRules[1].mode = "eager": unknown download mode; fix: use sync, async, none',
  },
  {
    title: "a download rule without a mode",
    run: () => checkDownloadRules([{ pattern: "github.com/acme/*" }]),
    message: "slipway:athens.downloadRules[0].mode = (unset): unknown download mode; fix: use sync, async, none",
  },
  {
    title: "private patterns that are not a list",
    run: () => checkPrivatePatterns("github.com/acme/*"),
    message:
      'slipway:athens.privatePatterns = "github.com/acme/*": must be a list of module path patterns; fix: write e.g. ["github.com/acme/*"]',
  },
  {
    title: "a private pattern that is not a string",
    run: () => checkPrivatePatterns([7]),
    message:
      "slipway:athens.privatePatterns[0] = 7: not a module path pattern; fix: write a GOPRIVATE glob such as github.com/acme/* (one per entry, no commas)",
  },
  {
    title: "a private pattern with a leading slash",
    run: () => checkPrivatePatterns(["/github.com/acme"]),
    message:
      'slipway:athens.privatePatterns[0] = "/github.com/acme": not a module path pattern; fix: write a GOPRIVATE glob such as github.com/acme/* (one per entry, no commas)',
  },
  {
    title: "a private pattern whose first element is no host name",
    run: () => checkPrivatePatterns(["acme/*"]),
    message:
      'slipway:athens.privatePatterns[0] = "acme/*": matches public modules too and would switch off their checksum verification; fix: name the private host or organisation, e.g. github.com/acme/*',
  },
  {
    title: "a private pattern matching every dotted host",
    run: () => checkPrivatePatterns(["*.*"]),
    message:
      'slipway:athens.privatePatterns[0] = "*.*": matches public modules too and would switch off their checksum verification; fix: name the private host or organisation, e.g. github.com/acme/*',
  },
  {
    title: "a GOSUMDB that is not a string",
    run: () => checkGosumdb(5),
    message: "slipway:athens.gosumdb = 5: not a GOSUMDB value; fix: write name+publickey [https-url], or leave it unset",
  },
  {
    title: "a GOSUMDB with junk before the name",
    run: () => checkGosumdb("!sum.golang.org"),
    message: 'slipway:athens.gosumdb = "!sum.golang.org": not a GOSUMDB value; fix: write name+publickey [https-url], or leave it unset',
  },
  {
    title: "a GOSUMDB with junk after the name",
    run: () => checkGosumdb("sum.golang.org!"),
    message: 'slipway:athens.gosumdb = "sum.golang.org!": not a GOSUMDB value; fix: write name+publickey [https-url], or leave it unset',
  },
  {
    title: "a checksum database URL that does not parse",
    run: () => checkGosumdb("sum.example.com+abc sum.example.com"),
    message:
      'slipway:athens.gosumdb = "sum.example.com+abc sum.example.com": the checksum database URL must be https; fix: write name+publickey https://host',
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
  {
    title: "an unset endpoint URL",
    run: () => checkEndpointUrl(undefined),
    message: "slipway:athens.local.url = (unset): not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000",
  },
  {
    // A one-element list stringifies to its element, which would parse as a URL.
    title: "an endpoint URL inside a list",
    run: () => checkEndpointUrl(["http://127.0.0.1:3000"]),
    message:
      'slipway:athens.local.url = ["http://127.0.0.1:3000"]: not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an ftp endpoint URL",
    run: () => checkEndpointUrl("ftp://127.0.0.1:3000"),
    message:
      'slipway:athens.local.url = "ftp://127.0.0.1:3000": not an http(s) URL; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an endpoint URL with a query holding an @, shown as written (it carries no credentials)",
    run: () => checkEndpointUrl("http://127.0.0.1:3000?a@b"),
    message:
      'slipway:athens.local.url = "http://127.0.0.1:3000?a@b": an Athens URL has no query or fragment; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an endpoint URL with a fragment",
    run: () => checkEndpointUrl("http://127.0.0.1:3000#top"),
    message:
      'slipway:athens.local.url = "http://127.0.0.1:3000#top": an Athens URL has no query or fragment; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "an endpoint URL with a user name and a query, redacted",
    run: () => checkEndpointUrl("https://ci@athens.example.com?a=1"),
    message:
      'slipway:athens.local.url = "https://***@athens.example.com?a=1": an Athens URL has no query or fragment; fix: write the Athens base URL, e.g. http://127.0.0.1:3000',
  },
  {
    title: "a password alone over plain http to another host, redacted",
    run: () => checkEndpointUrl("http://:s3cret@athens.example.com"),
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
  ["accepts the warm mode", () => checkMode("warm"), "warm"],
  ["accepts the sealed mode", () => checkMode("sealed"), "sealed"],
  ["strips every trailing slash from the upstream", () => checkUpstream("https://goproxy.example.com//"), "https://goproxy.example.com"],
  ["accepts an http upstream on localhost", () => checkUpstream("http://localhost:8080"), "http://localhost:8080"],
  ["accepts an http upstream on IPv6 loopback", () => checkUpstream("http://[::1]:8080"), "http://[::1]:8080"],
  ["reads unset private patterns as none", () => checkPrivatePatterns(undefined), []],
  ["reads unset download rules as none", () => checkDownloadRules(undefined), []],
  [
    "keeps download rules in their order",
    () =>
      checkDownloadRules([
        { pattern: "github.com/other/*", mode: "none" },
        { pattern: "github.com/acme/*", mode: "async" },
        { pattern: "*", mode: "sync" },
      ]),
    [
      { pattern: "github.com/other/*", mode: "none" },
      { pattern: "github.com/acme/*", mode: "async" },
      { pattern: "*", mode: "sync" },
    ],
  ],
  ["reads an unset GOSUMDB as unset", () => checkGosumdb(undefined), undefined],
  ["accepts a GOSUMDB name", () => checkGosumdb("sum.golang.org"), "sum.golang.org"],
  [
    "accepts a GOSUMDB with an https URL",
    () => checkGosumdb("sum.example.com+abc+AQ== https://sums.example.com"),
    "sum.example.com+abc+AQ== https://sums.example.com",
  ],
  [
    "strips every trailing slash from an explicit sum DB URL",
    () => sumDbUrl("sum.example.com+abc https://sums.example.com//"),
    "https://sums.example.com",
  ],
  ["accepts listen port 1", () => checkLocalListen("127.0.0.1", 1), { host: "127.0.0.1", port: 1 }],
  ["accepts listen port 65535", () => checkLocalListen("127.0.0.1", 65535), { host: "127.0.0.1", port: 65535 }],
  ["strips every trailing slash from an endpoint URL", () => checkEndpointUrl("http://127.0.0.1:3000//"), "http://127.0.0.1:3000"],
  ["accepts a remote https endpoint", () => checkEndpointUrl("https://athens.example.com"), "https://athens.example.com"],
  [
    "accepts a remote plain http endpoint without credentials",
    () => checkEndpointUrl("http://athens.example.com:3000"),
    "http://athens.example.com:3000",
  ],
  [
    "accepts credentials over https to another host",
    () => checkEndpointUrl("https://ci:s3cret@athens.example.com/"),
    "https://ci:s3cret@athens.example.com",
  ],
  [
    "accepts credentials over plain http on loopback",
    () => checkEndpointUrl("http://ci:s3cret@localhost:3000"),
    "http://ci:s3cret@localhost:3000",
  ],
  [
    "redacts only the credentials at the start of a URL",
    () => redactUrl("https://athens.example.com/?next=https://ci:pw@other.example.com"),
    "https://athens.example.com/?next=https://ci:pw@other.example.com",
  ],
  ["redacts a token alone", () => redactUrl("https://token@athens.example.com:8443/a/b"), "https://***@athens.example.com:8443/a/b"],
  ["redacts a password holding a raw @ whole", () => redactUrl("https://ci:p@ss@athens.example.com/"), "https://***@athens.example.com/"],
  ["leaves a URL without credentials as it is", () => redactUrl("http://127.0.0.1:3000"), "http://127.0.0.1:3000"],
  [
    "leaves an @ in the path alone",
    () => redactUrl("https://athens.example.com/mail@example.com"),
    "https://athens.example.com/mail@example.com",
  ],
  ["leaves an @ in the query alone", () => redactUrl("https://athens.example.com?to=ci:pw@x"), "https://athens.example.com?to=ci:pw@x"],
  ["leaves an @ in the fragment alone", () => redactUrl("https://athens.example.com#ci:pw@x"), "https://athens.example.com#ci:pw@x"],
  [
    "redacts a URL's credentials everywhere in a text",
    () =>
      redactCredentialsOf(
        "https://ci:pw@athens.example.com",
        "get https://ci:pw@athens.example.com/a: 404; retry https://ci:pw@athens.example.com/b",
      ),
    "get https://***@athens.example.com/a: 404; retry https://***@athens.example.com/b",
  ],
  ["leaves a text as it is for a URL without credentials", () => redactCredentialsOf("http://127.0.0.1:3000", "ci:pw@ x@y"), "ci:pw@ x@y"],
  ["redacts nothing but the credentials", () => redactCredentialsOf("https://ci:pw@h", "h ci:pw ci:pw@h"), "h ci:pw ***@h"],
  ["sees a user and a password", () => hasCredentials("https://ci:pw@athens.example.com"), true],
  ["sees a user name alone", () => hasCredentials("https://ci@athens.example.com"), true],
  ["sees a password alone", () => hasCredentials("https://:pw@athens.example.com"), true],
  ["sees no credentials in a plain URL", () => hasCredentials("https://athens.example.com"), false],
  ["sees no credentials in what is not a URL", () => hasCredentials("athens.example.com"), false],
];

describe("Athens settings validation", () => {
  itRefusesEach(BAD_INPUTS);
  itReturnsEach(GOOD);

  it("throws a plain error for a GOSUMDB the checks would have refused", () => {
    assert.throws(() => sumDbUrl("!sum.golang.org"), { name: "Error", message: "not a GOSUMDB value: !sum.golang.org" });
  });
});
