// Validates HTML files with html-validate's API (the CLI needs a newer Node than Debian's):
//   node tests/ui/validate_html.mjs CONFIG.json FILE.html ...  -> JSON [{file, messages: [...]}]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../a11y/package.json", import.meta.url));
const { HtmlValidate, StaticConfigLoader } = require("html-validate");

const [configPath, ...files] = process.argv.slice(2);
const validator = new HtmlValidate(new StaticConfigLoader(JSON.parse(readFileSync(configPath, "utf8"))));
const results = [];
for (const file of files) {
  const report = await validator.validateString(readFileSync(file, "utf8"), file);
  const messages = report.results.flatMap((r) => r.messages).map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`);
  results.push({ file, messages });
}
process.stdout.write(JSON.stringify(results));
