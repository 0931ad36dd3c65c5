// trunk post_build hook: when EMULATOR_PORT is set (scripts/run.sh --browser passes it), the
// built page's config.json points at the emulator on that port instead of 4123, so that one
// setting moves the emulator and the page together. A config.json that names another
// authority (a real tenant) is left as it is.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const port = process.env.EMULATOR_PORT;
const staging = process.env.TRUNK_STAGING_DIR;
if (!port || port === "4123") process.exit(0);
if (!staging) {
  console.error("emulator-port.mjs runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`EMULATOR_PORT must be a port number from 1 to 65535, not "${port}"`);
  process.exit(1);
}
const file = join(staging, "config.json");
const config = JSON.parse(readFileSync(file, "utf8"));
const DEFAULT = "localhost:4123";
let moved = false;
for (const key of ["authority", "graphEndpoint"]) {
  if (typeof config[key] === "string" && new URL(config[key]).host === DEFAULT) {
    config[key] = config[key].replace(`//${DEFAULT}`, `//localhost:${port}`);
    moved = true;
  }
}
if (moved) writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
