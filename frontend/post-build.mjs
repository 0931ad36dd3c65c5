// trunk post_build hook: the steps that rewrite the built index.html, one after the other (trunk
// runs a stage's hooks at the same time): the JS glue minified with its integrity hash, then the
// Content-Security-Policy meta tag.
await import("./minify.mjs");
await import("./csp.mjs");
