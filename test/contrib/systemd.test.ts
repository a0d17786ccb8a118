/**
 * The systemd units in contrib/systemd pass `systemd-analyze verify` with no
 * warning, and keep the settings docs/operations.md promises. Runs where
 * systemd-analyze is on PATH; ExecStart is pointed at this checkout's bin/.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/process.js";

const UNITS = join(ROOT, "contrib", "systemd");
const hasAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
if (!hasAnalyze) console.log("skipping systemd-analyze verify: systemd-analyze is not on PATH");

const scratch = mkdtempSync(join(tmpdir(), "shipper-units-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function unit(name: string): string {
  return readFileSync(join(UNITS, name), "utf8");
}

/** systemd-analyze verify of `text` saved as `name`: its exit code and everything it printed. */
function verify(
  name: string,
  text: string,
  instance = name,
): { status: number | null; output: string } {
  // The man pages Documentation= names come with an installed package, not with this checkout.
  const local = text
    .replace(/\/usr\/local\/bin\/(shipper-\w+)/g, `${ROOT}bin/$1.js`)
    .replace(/^Documentation=man:.*$/m, "");
  writeFileSync(join(scratch, name), local);
  const result = spawnSync("systemd-analyze", ["verify", `./${instance}`], {
    cwd: scratch,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("contrib/systemd units", () => {
  it("runs the server hardened, as its own user, restarting on failure, reloading with SIGHUP", () => {
    const text = unit("shipper-server.service");
    for (const line of [
      "DynamicUser=yes",
      "Restart=on-failure",
      "ProtectSystem=strict",
      "NoNewPrivileges=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=\n",
      "ExecReload=/bin/kill -HUP $MAINPID",
      "EnvironmentFile=-/etc/udp-log-shipper/server.env",
    ]) {
      expect(text).toContain(line);
    }
    expect(text).not.toMatch(/^MemoryDenyWriteExecute=yes/m);
  });

  it("has a client template that follows the files its instance's environment names", () => {
    const text = unit("shipper-client@.service");
    expect(text).toContain("EnvironmentFile=/etc/udp-log-shipper/client-%i.env");
    expect(text).toMatch(/^ExecStart=\S+shipper-client --follow \$LOG_FILES --state-file /m);
    expect(text).toContain("Restart=on-failure");
  });

  describe.skipIf(!hasAnalyze)("systemd-analyze verify", () => {
    it.each([
      ["shipper-server.service", "shipper-server.service"],
      ["shipper-client@.service", "shipper-client@api.service"],
    ])("passes %s with no warning", (name, instance) => {
      expect(verify(name, unit(name), instance)).toEqual({ status: 0, output: "" });
    });

    it("warns on a unit with an unknown key (the check can fail)", () => {
      const broken = unit("shipper-server.service").replace("[Service]", "[Service]\nBogusKey=1");
      expect(verify("broken.service", broken).output).toContain("Unknown key");
    });
  });
});
