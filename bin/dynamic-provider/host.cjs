"use strict";
// Pulumi's dynamic-provider host, started the way the CLI's own pulumi-resource-pulumi-nodejs starts it but in
// one Node.js process instead of two (the CLI's script first runs `node -e` to resolve it), and with the
// SDK's modules it does not use deferred as in the program and without source-map-support (../sdkStart.cjs):
// the host deserialises providers, never serialises one, and does not drive the Automation API. @pulumi/pulumi
// is the project's, resolved from the working directory the engine gives its plugins, as the CLI's script does.
const { dirname } = require("node:path");
const { prepareSdkStart } = require("../sdkStart.cjs");

const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] });
prepareSdkStart(process.cwd(), dirname(host));
require(host);
