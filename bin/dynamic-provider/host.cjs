"use strict";
// Pulumi's dynamic-provider host, started the way the CLI's own pulumi-resource-pulumi-nodejs starts it but in
// one Node.js process instead of two (the CLI's script first runs `node -e` to resolve it), and with the
// SDK's modules it does not use deferred as in the program (lib/stacks/deferredSdkModules.js): the host
// deserialises providers, never serialises one, and does not drive the Automation API. @pulumi/pulumi is the
// project's, resolved from the working directory the engine gives its plugins, as the CLI's script does.
const { existsSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join } = require("node:path");
const deferral = join(__dirname, "..", "..", "lib", "stacks", "deferredSdkModules.js");
// A checkout's lib/ is built by its program's first run; before that (a destroy on a fresh clone) the
// host runs without the deferral, which only saves time.
if (existsSync(deferral)) require(deferral).deferSdkModules(process.cwd());
const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] });
// The host's first line installs source-map-support, which maps the frames of every stack trace; the host
// runs only slipway's providers, which ship no source maps, so it would only cost time: about 30 ms of the
// host's start, which races the program's declarations to the first dynamic resource. An empty module in
// require's cache takes its place.
try {
  const register = require.resolve("source-map-support/register", { paths: [dirname(host)] });
  const empty = new Module(register);
  empty.filename = register;
  empty.loaded = true;
  require.cache[register] = empty;
} catch {
  // An SDK without source-map-support: nothing to skip.
}
require(host);
