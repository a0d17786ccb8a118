/**
 * docker-compose.yml, both Dockerfiles, the Makefile and .env.example name only flags and env
 * vars the built commands really have (as their `--help` prints them), and .env.example lists
 * every env var of the commands with its real default.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Clis,
  COMMANDS,
  type DeployFiles,
  disagreements,
  parseCompose,
  parseDockerfile,
  parseEnvFile,
  parseHelp,
  parseMakefile,
} from "../support/deploy-files.js";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

const HELP = `Usage: shipper-client [options] [FILE...]

Options:
  --target-port <port>      server UDP port (env: TARGET_PORT) (default: 9999)
  --batch-interval <seconds>  seconds before a partial batch is sent (env:
                            FLUSH_INTERVAL) (default: 5)
  --no-compress             send datagrams uncompressed (env: COMPRESS)
  --format <format>         stdout format (default: pretty on a terminal) (env: FORMAT)
  --max-datagram <bytes>    largest datagram (env: MAX_DATAGRAM) (default: 64KiB)
  -h, --help                show this help
`;
const FAKE: Clis = { "shipper-server": [], "shipper-client": parseHelp(HELP), "shipper-tail": [] };
const GOOD: DeployFiles = {
  compose: `services:
  client:
    build: { context: ., dockerfile: Dockerfile.client }
    command: ["--no-compress", "--target-port", "1234"]
    environment:
      FLUSH_INTERVAL: \${FLUSH_INTERVAL:-5.0}
`,
  dockerfile: `ENTRYPOINT ["node", "/app/bin/shipper-server.js"]\n`,
  dockerfileClient: `ENV TARGET_PORT=9999 \\\n    NODE_ENV=production\nENTRYPOINT ["node", "bin/shipper-client.js"]\nCMD ["--no-compress"]\n`,
  makefile: `run:\n\tnode bin/shipper-client.js --target-port 1 | cat\n`,
  envExample: `# comment\nTARGET_PORT=9999\nFLUSH_INTERVAL=5.0\nCOMPRESS=true\nFORMAT=\nMAX_DATAGRAM=65536\n`,
};

describe("reading --help and the deployment files", () => {
  it("reads flags, env names and defaults from help, wrapped lines included", () => {
    expect(FAKE["shipper-client"]).toEqual([
      { flags: ["--target-port"], env: "TARGET_PORT", defaultValue: "9999" },
      { flags: ["--batch-interval"], env: "FLUSH_INTERVAL", defaultValue: "5" },
      { flags: ["--no-compress"], env: "COMPRESS", defaultValue: undefined },
      { flags: ["--format"], env: "FORMAT", defaultValue: undefined },
      { flags: ["--max-datagram"], env: "MAX_DATAGRAM", defaultValue: "64KiB" },
      { flags: ["-h", "--help"], env: undefined, defaultValue: undefined },
    ]);
  });

  it("reads services, Dockerfile instructions, Makefile calls and env files", () => {
    expect(parseCompose(GOOD.compose)).toEqual([
      {
        name: "client",
        dockerfile: "Dockerfile.client",
        env: ["FLUSH_INTERVAL"],
        flags: ["--no-compress", "--target-port"],
      },
    ]);
    expect(parseDockerfile(GOOD.dockerfileClient)).toEqual({
      env: [
        { name: "TARGET_PORT", value: "9999" },
        { name: "NODE_ENV", value: "production" },
      ],
      entrypoint: ["node", "bin/shipper-client.js"],
      cmd: ["--no-compress"],
    });
    expect(parseMakefile(GOOD.makefile)).toEqual([
      { command: "shipper-client", flag: "--target-port" },
    ]);
    expect(parseEnvFile(GOOD.envExample).map((e) => e.name)).toEqual([
      "TARGET_PORT",
      "FLUSH_INTERVAL",
      "COMPRESS",
      "FORMAT",
      "MAX_DATAGRAM",
    ]);
  });

  it("finds nothing wrong in files that agree (5.0 is 5, 65536 is 64KiB)", () => {
    expect(disagreements(FAKE, GOOD)).toEqual([]);
  });

  it("leaves out services of another project's image and the keys after services", () => {
    const compose = `${GOOD.compose}  nats:\n    image: nats:2.10\n    command: ["-js"]\nvolumes:\n  data:\n`;
    expect(parseCompose(compose).map((s) => [s.name, s.image])).toEqual([
      ["client", undefined],
      ["nats", "nats:2.10"],
    ]);
    expect(disagreements(FAKE, { ...GOOD, compose })).toEqual([]);
  });

  it("checks a service of the project's image by the command its entrypoint runs", () => {
    const tailHelp = `Usage: shipper-tail [options]

Options:
  -s, --server <url>  NATS servers (env: NATS_URL) (default: nats://127.0.0.1:4222)
  --count             print only the totals (env: TAIL_COUNT)
`;
    const clis: Clis = { ...FAKE, "shipper-tail": parseHelp(tailHelp) };
    const compose = `${GOOD.compose}  tail:
    image: udp-log-shipper-server:latest
    entrypoint: ["node", "/app/bin/shipper-tail.js"]
    command: ["--count", "--port"]
    environment:
      NATS_URL: nats://nats:4222
      SERVER_PORT: "1"
`;
    expect(parseCompose(compose).at(-1)).toMatchObject({
      name: "tail",
      entrypoint: "shipper-tail",
    });
    expect(disagreements(clis, { ...GOOD, compose })).toEqual([
      "docker-compose.yml tail: shipper-tail has no --port",
      "docker-compose.yml tail: shipper-tail has no env SERVER_PORT",
      ".env.example: NATS_URL is missing",
      ".env.example: TAIL_COUNT is missing",
    ]);
  });

  it("names every unknown flag or env var, wrong default and missing env var", () => {
    const bad: DeployFiles = {
      compose: `${GOOD.compose}      TARGET_PORTT: "1"\n      RETRIES: \${RETRIES:-3}\n`,
      dockerfile: `${GOOD.dockerfile}CMD ["--port", "1"]\n`,
      dockerfileClient: `ENV TARGET_HOST=server\nENTRYPOINT ["node", "bin/shipper-server.js"]\n`,
      makefile: `${GOOD.makefile}\tBATCH=3 shipper-client --batch 3\n`,
      envExample: "TARGET_PORT=9998\nFLUSH_INTERVAL=5\nFLUSH_INTERVAL=5\nMAX_DATAGRAM=65507\n",
    };
    expect(disagreements(FAKE, bad)).toEqual([
      "docker-compose.yml client: shipper-client has no env TARGET_PORTT",
      "docker-compose.yml client: shipper-client has no env RETRIES",
      `docker-compose.yml: \${RETRIES} is no command's env`,
      "Dockerfile: shipper-server has no --port",
      "Dockerfile.client: shipper-client has no env TARGET_HOST",
      "Dockerfile.client: ENTRYPOINT does not run bin/shipper-client.js",
      "Makefile: shipper-client has no --batch",
      "Makefile: BATCH is no command's env",
      ".env.example: TARGET_PORT=9998, but the default is 9999",
      ".env.example: FLUSH_INTERVAL is listed twice",
      ".env.example: MAX_DATAGRAM=65507, but the default is 64KiB",
      ".env.example: COMPRESS is missing",
      ".env.example: FORMAT is missing",
    ]);
  });
});

describe("the repository's deployment files agree with the built commands", () => {
  let clis: Clis;

  beforeAll(() => {
    const help = (command: string) =>
      execFileSync(process.execPath, [join(ROOT, "bin", `${command}.js`), "--help"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "" },
      });
    clis = {
      "shipper-server": parseHelp(help("shipper-server")),
      "shipper-client": parseHelp(help("shipper-client")),
      "shipper-tail": parseHelp(help("shipper-tail")),
    };
  });

  it("reads a non-trivial option list from each command", () => {
    for (const command of COMMANDS) {
      expect(clis[command].filter((o) => o.env).length, command).toBeGreaterThan(5);
    }
  });

  it("names only real flags and env vars, and lists every env var with its default", () => {
    const files: DeployFiles = {
      compose: read("docker-compose.yml"),
      dockerfile: read("Dockerfile"),
      dockerfileClient: read("Dockerfile.client"),
      makefile: read("Makefile"),
      envExample: read(".env.example"),
    };
    expect(disagreements(clis, files)).toEqual([]);
  });
});
