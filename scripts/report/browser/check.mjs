// The board report's checks in headless Chromium (the Debian package the report prints
// with), every network request refused:
//   node check.mjs REPORT.html > result.json
// - accessibility: axe-core's rules (WCAG 2.x A and AA, best practices) on the page as a
//   screen shows it; each violation with its impact (minor ... critical);
// - print: the page laid out as the PDF prints it (print media, the A4 page's printable
//   width), each table's rendered width against that width, and any cell whose content
//   is wider than the cell (cut).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const page_file = process.argv[2];
// A4 (210 mm) less the @page side margins (14 mm each), at 96 px per inch.
const PRINTABLE_MM = 210 - 2 * 14;
const PRINTABLE_PX = (PRINTABLE_MM / 25.4) * 96;

const executablePath =
  process.env.CHROMIUM || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => {
    try { require("node:fs").accessSync(p); return true; } catch { return false; }
  });
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  // bypassCSP: the page forbids every script; axe is injected by the test only.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort());
  const page = await context.newPage();
  await page.goto(pathToFileURL(page_file).href, { waitUntil: "load" });
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const axe = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations", "passes", "incomplete"],
    });
    const brief = (r) => ({
      id: r.id, impact: r.impact, help: r.help, nodes: r.nodes.length,
      targets: r.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    });
    return {
      violations: result.violations.map(brief),
      passes: result.passes.length,
      incomplete: result.incomplete.map(brief),
      version: window.axe.version,
    };
  });

  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: Math.floor(PRINTABLE_PX), height: 1100 });
  const tables = await page.evaluate(() => {
    const out = [];
    for (const table of document.querySelectorAll("table")) {
      if (!table.offsetParent && getComputedStyle(table).position !== "fixed") continue;
      const caption = table.caption ? table.caption.innerText.trim() : "";
      const cut = [];
      for (const cell of table.querySelectorAll("th, td")) {
        if (cell.scrollWidth > cell.clientWidth + 1) cut.push(cell.innerText.trim().slice(0, 60));
      }
      out.push({ caption, width: table.getBoundingClientRect().width,
                 scroll: table.scrollWidth, cut });
    }
    return { tables: out, body: document.documentElement.scrollWidth };
  });
  console.log(JSON.stringify({ axe, print: { printable: PRINTABLE_PX, ...tables } }));
} finally {
  await browser.close();
}
