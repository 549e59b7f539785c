"use strict";
// Pulumi's dynamic-provider host, started the way the CLI's own pulumi-resource-pulumi-nodejs starts it but in
// one Node.js process instead of two (the CLI's script first runs `node -e` to resolve it), and with the
// closure serialiser's dependencies deferred as in the program (lib/stacks/deferredSerializerDeps.js): the
// host deserialises providers and never serialises one. @pulumi/pulumi is the project's, resolved from the
// working directory the engine gives its plugins, as the CLI's script does.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const deferral = join(__dirname, "..", "..", "lib", "stacks", "deferredSerializerDeps.js");
// A checkout's lib/ is built by its program's first run; before that (a destroy on a fresh clone) the
// host runs without the deferral, which only saves time.
if (existsSync(deferral)) require(deferral).deferSerializerDeps(process.cwd());
require(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] }));
