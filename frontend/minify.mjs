// Part of the post_build hook (post-build.mjs): in release builds, minifies wasm-bindgen's JS
// glue with terser (npm), and gives trunk's modulepreload link the new file's SRI hash. Trunk's
// own minifier (`--minify`) fails on the glue's `export default`, and leaves it as it is.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("minify.mjs runs in a trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === "release") {
  const page = join(staging, "index.html");
  let html = readFileSync(page, "utf8");
  for (const name of readdirSync(staging).filter((f) => f.endsWith(".js"))) {
    const file = join(staging, name);
    // An ES module: top-level names are module-scoped, exports and property names are kept.
    const { code } = await minify(readFileSync(file, "utf8"), { module: true });
    writeFileSync(file, code);
    const integrity = `sha384-${createHash("sha384").update(code, "utf8").digest("base64")}`;
    const link = new RegExp(`(<link [^>]*href="[^"]*/${name.replace(/[.]/g, "[.]")}"[^>]*integrity=")[^"]*(")`);
    if (!link.test(html)) {
      console.error(`minify.mjs: no link with an integrity hash for ${name} in index.html`);
      process.exit(1);
    }
    html = html.replace(link, `$1${integrity}$2`);
  }
  writeFileSync(page, html);
}
