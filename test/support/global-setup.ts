/**
 * Builds src/ into dist/ once before any test file runs, so the process
 * tests spawn the commands exactly as installed, and no test file rebuilds
 * dist/ while another one is running the commands.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  try {
    execFileSync(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: "inherit",
      },
    );
  } catch {
    // tsc still emits when a file has type errors (reported above, and failed by
    // `npm run typecheck`); the tests then run what was emitted.
  }
  // bin/shipper-client.js runs the bundle of what tsc emitted.
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: root, stdio: "inherit" });
}
