// Part of the post_build hook (post-build.mjs): in release builds, minifies wasm-bindgen's JS
// glue with terser (npm). Trunk's own minifier (`--minify`) fails on the glue's `export default`
// and leaves it as it is. The minified file is named by its own content's hash, as trunk names
// files, so that a cache never holds other bytes under the same name, and index.html's import
// and modulepreload link (with its SRI hash) follow it.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("minify.mjs runs in a trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
const fail = (message) => {
  console.error(`minify.mjs: ${message}`);
  process.exit(1);
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

if (process.env.TRUNK_PROFILE === "release") {
  const page = join(staging, "index.html");
  let html = readFileSync(page, "utf8");
  for (const name of readdirSync(staging).filter((f) => f.endsWith(".js"))) {
    // An ES module: top-level names are module-scoped, exports and property names are kept.
    const { code } = await minify(readFileSync(join(staging, name), "utf8"), { module: true });
    const hash = (algorithm, encoding) => createHash(algorithm).update(code, "utf8").digest(encoding);
    // trunk's names end in `-<16 hex digits>.js`; without file hashes, the name stays.
    const renamed = name.replace(/-[0-9a-f]{16}\.js$/, `-${hash("sha256", "hex").slice(0, 16)}.js`);
    const link = new RegExp(`(<link [^>]*href="[^"]*/${escape(name)}"[^>]*integrity=")[^"]*(")`, "g");
    if (!link.test(html)) fail(`no link with an integrity hash for ${name} in index.html`);
    html = html.replace(link, `$1sha384-${hash("sha384", "base64")}$2`);
    html = html.replace(new RegExp(`/${escape(name)}(?=['"])`, "g"), `/${renamed}`);
    rmSync(join(staging, name));
    writeFileSync(join(staging, renamed), code);
  }
  writeFileSync(page, html);
}
