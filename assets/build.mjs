// Builds assets/build/css/main.css, and copies axe-core for the editors'
// preview check (assets/build/js/axe.min.js, loaded only on draft previews).
//
// main.css: the site's Sass (assets/scss, which imports only
// the Bootstrap modules we use) compiled, then stripped of every selector no
// template, script or form class uses. Run by `make css` (npm run build).
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { brotliCompressSync } from "node:zlib";
import { PurgeCSS } from "purgecss";
import * as sass from "sass";

const OUT = "assets/build/css/main.css";

const compiled = sass.compile("assets/scss/main.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  // Bootstrap 5.3's sources still use @import and the global colour functions.
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions", "if-function"],
});

const [purged] = await new PurgeCSS().purge({
  // Class names can come from templates, scripts and Python (form widgets).
  content: [
    "templates/**/*.html",
    "static/js/**/*.js",
    "roles/**/*.py",
    // Django's form widgets write these; no template has them literally.
    { raw: '<input type="checkbox"><input type="radio"><input type="text"><select></select><textarea></textarea>', extension: "html" },
  ],
  css: [{ raw: compiled.css }],
  // Forms are drawn by the site's own crispy-forms pack, whose templates are
  // under templates/ (scanned above); the other page stylesheets read --rg-*.
  safelist: {
    // Built from data in the templates: fam-{{ role.family }}, roles-{{ n }}.
    standard: [/^fam-/, /^roles-\d$/],
    variables: [/^--rg-/],
  },
  variables: true,
  keyframes: true,
});

await mkdir("assets/build/css", { recursive: true });
const css = purged.css.trim() + "\n";
await writeFile(OUT, css);
const brotli = brotliCompressSync(Buffer.from(css)).length;
console.log(`${OUT}: ${(css.length / 1024).toFixed(1)} KB, ${(brotli / 1024).toFixed(1)} KB brotli`);

// axe-core (MPL-2.0) from the lockfile: the accessibility check an editor's
// browser runs over a draft's preview (static/js/preview-check.js).
await mkdir("assets/build/js", { recursive: true });
await copyFile("node_modules/axe-core/axe.min.js", "assets/build/js/axe.min.js");
