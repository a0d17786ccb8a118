#!/usr/bin/env node
// `node bin/shipper-client.js` (the Docker image, the Makefile) runs the
// command's CommonJS entry, which the package's `shipper-client` is.
import "./shipper-client.cjs";
