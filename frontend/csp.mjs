// Part of the post_build hook (post-build.mjs): gives the built page the desktop window's
// Content-Security-Policy as a <meta http-equiv> tag, so that the page served to a browser
// (scripts/run.sh --browser, any static host) and the `cargo tauri dev` window run under it too.
//
// - The directives are read from ../tauri.conf.json (app.security.csp), the one source.
// - script-src gains the SHA-256 of each inline script trunk wrote (its wasm loader), as Tauri
//   adds them for the desktop window.
// - connect-src gains what the browser page fetches itself: the identity platform and Graph,
//   over https, or http on loopback only (auth-core refuses any other http URL anyway).
// - frame-ancestors is dropped: browsers ignore it in a meta tag (CSP 3, section 6.1.2.3); a
//   host that serves the page should send it as a header.
//
// In the desktop app's release window Tauri's own policy applies as well; a page under two
// policies must satisfy both, and this one allows everything Tauri's does.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("csp.mjs runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
const conf = JSON.parse(readFileSync(join(here, "..", "tauri.conf.json"), "utf8"));
const directives = { ...conf.app.security.csp };
delete directives["frame-ancestors"];

const page = join(staging, "index.html");
let html = readFileSync(page, "utf8");
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
const hashes = inline.map(
  (m) => `'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`,
);
directives["script-src"] = [directives["script-src"], ...hashes].join(" ");
// (No http://[::1]:*: CSP source lists take no IPv6 literal, and Chromium reports it as invalid.)
directives["connect-src"] += " https: http://localhost:* http://127.0.0.1:*";

const policy = Object.entries(directives)
  .map(([name, value]) => `${name} ${value}`)
  .join("; ");
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
if (html.includes('http-equiv="Content-Security-Policy"')) {
  console.error("index.html already has a CSP meta tag");
  process.exit(1);
}
// First in <head>, after the charset, so that it covers everything the page loads.
html = html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    ${meta}`);
if (!html.includes(meta)) {
  console.error("csp.mjs: no <meta charset=\"utf-8\" /> in index.html to put the policy after");
  process.exit(1);
}
writeFileSync(page, html);
