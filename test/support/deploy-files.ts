/**
 * Reads the deployment files (docker-compose.yml, the Dockerfiles, the Makefile, .env.example)
 * for the flags and env vars they give the commands, and compares them with the options the
 * commands print in `--help`.
 */
import { byteSize } from "../../src/commands/shared/options.js";

export type CommandName = "shipper-server" | "shipper-client" | "shipper-tail";
export const COMMANDS: readonly CommandName[] = [
  "shipper-server",
  "shipper-client",
  "shipper-tail",
];

export interface CliOption {
  readonly flags: readonly string[];
  readonly env: string | undefined;
  /** As commander prints it, e.g. `"localhost"`, `9999`, `16MiB`. */
  readonly defaultValue: string | undefined;
}
export type Clis = Readonly<Record<CommandName, readonly CliOption[]>>;

export interface DeployFiles {
  readonly compose: string;
  readonly dockerfile: string;
  readonly dockerfileClient: string;
  readonly makefile: string;
  readonly envExample: string;
}

/** Env vars the images may set for Node itself rather than for the commands. */
const RUNTIME_ENV = new Set(["NODE_ENV", "NODE_OPTIONS", "PATH"]);

/** The options of a commander `--help` text, wrapped description lines joined. */
export function parseHelp(help: string): CliOption[] {
  const body = help.split(/^Options:\s*$/m)[1] ?? "";
  const entries: string[] = [];
  for (const line of body.split("\n")) {
    if (/^\S/.test(line)) break;
    if (/^ {1,3}-/.test(line)) entries.push(line);
    else if (line.trim() !== "" && entries.length > 0) entries[entries.length - 1] += ` ${line}`;
  }
  return entries.map((entry) => {
    const text = entry.trim().replace(/\s+/g, " ");
    const term = entry.trim().split(/\s{2,}/)[0] ?? "";
    return {
      flags: [...term.matchAll(/(?:^|[\s,])(--?[a-zA-Z0-9][\w-]*)/g)].map((m) => m[1] ?? ""),
      env: /\(env: ([A-Z][A-Z0-9_]*)\)/.exec(text)?.[1],
      defaultValue: / \(default: ([^()]*)\)$/.exec(text)?.[1],
    };
  });
}

/** A value as the commands would read it: quotes dropped, numbers and sizes as byte counts. */
function normalize(value: string): string {
  const bare = value.replace(/^"(.*)"$/, "$1");
  try {
    return String(byteSize(0)(bare));
  } catch {
    return bare;
  }
}

const interpolations = (text: string) =>
  [
    ...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g),
  ].map((m) => ({ name: m[1] ?? m[3] ?? "", fallback: m[2] }));

export interface ComposeService {
  readonly name: string;
  readonly dockerfile: string | undefined;
  /** The `image:` it names, when it names one. */
  readonly image: string | undefined;
  /** The command its `entrypoint:` runs (`bin/<command>.js`), when it sets one. */
  readonly entrypoint: CommandName | undefined;
  readonly env: string[];
  readonly flags: string[];
}

/** The command a line of an `entrypoint:` runs, if it names one. */
const entrypointCommand = (line: string) =>
  /bin\/(shipper-server|shipper-client|shipper-tail)\.js/.exec(line)?.[1] as
    | CommandName
    | undefined;

/** Services of a compose file written in block style, one key per line (flow maps allowed). */
export function parseCompose(text: string): ComposeService[] {
  const services: {
    name: string;
    dockerfile: string | undefined;
    image: string | undefined;
    entrypoint: CommandName | undefined;
    env: string[];
    flags: string[];
  }[] = [];
  let section = "";
  let topLevel = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").replace(/^\s*#.*$/, "");
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) topLevel = /^([\w-]+):/.exec(line)?.[1] ?? "";
    if (topLevel !== "services") continue;
    const service = services[services.length - 1];
    if (indent === 2 && /^ {2}[\w.-]+:\s*$/.test(line)) {
      services.push({
        name: line.trim().slice(0, -1),
        dockerfile: undefined,
        image: undefined,
        entrypoint: undefined,
        env: [],
        flags: [],
      });
      section = "";
    } else if (indent === 4 && service) {
      section = /^ {4}([\w-]+):/.exec(line)?.[1] ?? "";
      const dockerfile = /dockerfile:\s*([\w.-]+)/.exec(line)?.[1];
      if (dockerfile) service.dockerfile = dockerfile;
      if (section === "image") service.image = /^ {4}image:\s*(\S+)/.exec(line)?.[1];
      if (section === "entrypoint") service.entrypoint = entrypointCommand(line);
      if (section === "command") service.flags.push(...(line.match(/--?[a-zA-Z][\w-]*/g) ?? []));
    } else if (indent > 4 && service) {
      if (section === "environment") {
        const key = /^\s*(?:- )?([A-Za-z_][A-Za-z0-9_]*)\s*[:=]?/.exec(line)?.[1];
        if (key) service.env.push(key);
      }
      if (section === "command") service.flags.push(...(line.match(/--?[a-zA-Z][\w-]*/g) ?? []));
      const dockerfile = /dockerfile:\s*([\w.-]+)/.exec(line)?.[1];
      if (dockerfile && section === "build") service.dockerfile = dockerfile;
    }
  }
  return services;
}

export interface DockerfileRefs {
  readonly env: { name: string; value: string }[];
  /** The exec-form ENTRYPOINT and CMD words. */
  readonly entrypoint: string[];
  readonly cmd: string[];
}

export function parseDockerfile(text: string): DockerfileRefs {
  const refs: DockerfileRefs = { env: [], entrypoint: [], cmd: [] };
  const instructions = text.replace(/\\\n/g, " ").split("\n");
  for (const instruction of instructions) {
    const match = /^\s*(ENV|ENTRYPOINT|CMD)\s+(.*)$/i.exec(instruction);
    if (!match) continue;
    const [, keyword = "", args = ""] = match;
    if (keyword.toUpperCase() === "ENV") {
      const pairs = /^\s*[A-Za-z_][A-Za-z0-9_]*=/.test(args)
        ? [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map((m) => [m[1], m[2]])
        : [args.trim().split(/\s+(.*)/)];
      for (const [name = "", value = ""] of pairs) refs.env.push({ name, value });
    } else {
      const words = args.trim().startsWith("[")
        ? (JSON.parse(args) as string[])
        : args.split(/\s+/);
      (keyword.toUpperCase() === "CMD" ? refs.cmd : refs.entrypoint).push(...words);
    }
  }
  return refs;
}

/** Flags given to the commands in recipe lines, and env vars assigned there. */
export function parseMakefile(text: string): { command: CommandName; flag: string }[] {
  const found: { command: CommandName; flag: string }[] = [];
  for (const line of text.split("\n").filter((l) => l.startsWith("\t"))) {
    for (const segment of line.split(/\||;|&&/)) {
      const call = /(?:bin\/)?(shipper-server|shipper-client|shipper-tail)(?:\.js)?\b(.*)$/.exec(
        segment,
      );
      if (!call) continue;
      for (const flag of call[2]?.match(/(?<=\s|^)--?[a-zA-Z][\w-]*/g) ?? []) {
        found.push({ command: call[1] as CommandName, flag });
      }
    }
  }
  return found;
}

/** Env vars assigned in Makefile recipes (`NAME=value cmd`, `-e NAME=value`). */
export const makefileEnv = (text: string): string[] =>
  text
    .split("\n")
    .filter((l) => l.startsWith("\t"))
    .flatMap((l) =>
      [...l.matchAll(/(?:^|\s)(?:-e\s+)?([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1] ?? ""),
    );

/** `NAME=value` lines of an env file; comment lines are not settings. */
export const parseEnvFile = (text: string): { name: string; value: string }[] =>
  text
    .split("\n")
    .map((line) => /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ name: m[1] ?? "", value: (m[2] ?? "").trim() }));

const COMMAND_OF_DOCKERFILE: Readonly<Record<string, CommandName>> = {
  Dockerfile: "shipper-server",
  "Dockerfile.client": "shipper-client",
};
/** The command each of the project's images runs unless an `entrypoint:` says otherwise. */
const COMMAND_OF_IMAGE: Readonly<Record<string, CommandName>> = {
  "udp-log-shipper-server": "shipper-server",
  "udp-log-shipper-client": "shipper-client",
};

function commandOf(s: ComposeService): CommandName | undefined {
  if (s.entrypoint) return s.entrypoint;
  if (s.dockerfile !== undefined) return COMMAND_OF_DOCKERFILE[s.dockerfile];
  return COMMAND_OF_IMAGE[s.image?.split(":")[0] ?? ""];
}

/** Every way the files disagree with the commands, one readable line each. */
export function disagreements(clis: Clis, files: DeployFiles): string[] {
  const problems: string[] = [];
  const flagsOf = (c: CommandName) => new Set(clis[c].flatMap((o) => o.flags));
  const envOf = (c: CommandName) => new Set(clis[c].flatMap((o) => (o.env ? [o.env] : [])));
  const allEnv = new Set(COMMANDS.flatMap((c) => [...envOf(c)]));
  const defaults = new Map(
    COMMANDS.flatMap((c) => clis[c].flatMap((o) => (o.env ? [[o.env, o.defaultValue]] : []))),
  );
  const checkFlags = (where: string, c: CommandName, flags: readonly string[]) => {
    for (const f of flags) if (!flagsOf(c).has(f)) problems.push(`${where}: ${c} has no ${f}`);
  };
  const checkEnv = (where: string, c: CommandName, names: readonly string[]) => {
    for (const n of names) if (!envOf(c).has(n)) problems.push(`${where}: ${c} has no env ${n}`);
  };
  const checkDefault = (where: string, name: string, value: string) => {
    const expected = defaults.get(name);
    if (value === "" || expected === undefined || normalize(value) === normalize(expected)) return;
    problems.push(`${where}: ${name}=${value}, but the default is ${expected}`);
  };

  for (const s of parseCompose(files.compose)) {
    // A service of another project's image (NATS), built from no Dockerfile here.
    if (s.dockerfile === undefined && s.image && !s.image.startsWith("udp-log-shipper")) continue;
    const command = commandOf(s);
    if (!command) problems.push(`docker-compose.yml: service ${s.name} builds no known Dockerfile`);
    else {
      checkFlags(`docker-compose.yml ${s.name}`, command, s.flags);
      checkEnv(`docker-compose.yml ${s.name}`, command, s.env);
    }
  }
  for (const { name, fallback } of interpolations(files.compose)) {
    if (!allEnv.has(name)) problems.push(`docker-compose.yml: \${${name}} is no command's env`);
    else checkDefault("docker-compose.yml", name, fallback ?? "");
  }
  for (const [file, text] of [
    ["Dockerfile", files.dockerfile],
    ["Dockerfile.client", files.dockerfileClient],
  ] as const) {
    const command = COMMAND_OF_DOCKERFILE[file] as CommandName;
    const refs = parseDockerfile(text);
    checkEnv(
      file,
      command,
      refs.env.map((e) => e.name).filter((n) => !RUNTIME_ENV.has(n)),
    );
    checkFlags(
      file,
      command,
      [...refs.entrypoint, ...refs.cmd].filter((w) => w.startsWith("-")),
    );
    if (!refs.entrypoint.some((w) => w.endsWith(`bin/${command}.js`))) {
      problems.push(`${file}: ENTRYPOINT does not run bin/${command}.js`);
    }
    for (const { name } of interpolations(text)) {
      if (!envOf(command).has(name) && !RUNTIME_ENV.has(name)) {
        problems.push(`${file}: $${name} is not an env var of ${command}`);
      }
    }
  }
  for (const { command, flag } of parseMakefile(files.makefile)) {
    checkFlags("Makefile", command, [flag]);
  }
  for (const name of makefileEnv(files.makefile)) {
    if (!allEnv.has(name)) problems.push(`Makefile: ${name} is no command's env`);
  }
  const listed = parseEnvFile(files.envExample);
  const seen = new Set<string>();
  for (const { name, value } of listed) {
    if (!allEnv.has(name)) problems.push(`.env.example: ${name} is no command's env`);
    if (seen.has(name)) problems.push(`.env.example: ${name} is listed twice`);
    seen.add(name);
    checkDefault(".env.example", name, value);
  }
  for (const name of allEnv) if (!seen.has(name)) problems.push(`.env.example: ${name} is missing`);
  return problems;
}
