/**
 * A CommonJS bundle compiled with a V8 code cache beside it, through node:vm
 * so that V8 is handed the cache: what V8 would otherwise parse and compile
 * at each start is read back instead. The file is the function Node wraps a
 * module in, written out (`(function (exports, require, module, __filename,
 * __dirname) {...})`, scripts/bundle.mjs), so that its text is compiled as
 * read, without a second copy of it to wrap.
 *
 * The cache file is the bundle's id line (its first line, `// NAME bundle
 * ID`, written by scripts/bundle.mjs) followed by V8's cached data. It is
 * used only when the id matches the bundle's and V8 accepts it: same V8
 * version, same V8 flags, and a checksum of the data that V8 checks (the
 * flag `--verify-snapshot-checksum` is on while the cache is read and made,
 * off otherwise). Any other cache, or none, and the bundle is compiled from
 * its source as Node would; `writeCache` then replaces the cache when the
 * directory can be written to (a temporary file renamed over it, so a
 * reader sees a whole file or none).
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { setFlagsFromString } from "node:v8";
import { Script } from "node:vm";

/** What became of the cache: read and used, absent, or not usable (another build, Node or flags, damaged). */
export type CacheState = "used" | "missing" | "rejected";

const ID_LINE = /^\/\/ [\w-]+ bundle ([0-9a-f]{16,64})\n/;

/** Runs `f` with V8 checking (and making) checksums of code caches. */
function withChecksums<T>(f: () => T): T {
  setFlagsFromString("--verify-snapshot-checksum");
  try {
    return f();
  } finally {
    setFlagsFromString("--no-verify-snapshot-checksum");
  }
}

export class CachedScript {
  readonly state: CacheState;
  readonly #file: string;
  readonly #cacheFile: string;
  /** The id line the cache starts with; undefined when the bundle has none (no cache is read or written). */
  readonly #header: Buffer | undefined;
  readonly #script: Script;

  /** Reads `file` and compiles it, with `cacheFile` unless `useCache` is false. */
  constructor(file: string, cacheFile: string, useCache = true) {
    this.#file = file;
    this.#cacheFile = cacheFile;
    const source = readFileSync(file, "utf8");
    const id = ID_LINE.exec(source)?.[0];
    this.#header = id === undefined ? undefined : Buffer.from(id, "latin1");
    const cachedData = useCache ? this.#readCache() : undefined;
    this.#script = withChecksums(
      () => new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) }),
    );
    this.state =
      cachedData === undefined ? "missing" : this.#script.cachedDataRejected ? "rejected" : "used";
  }

  /** Runs the bundle (once) with `require`; its `module.exports`. */
  run(require: NodeJS.Require): unknown {
    const module = { exports: {} };
    const wrapper = this.#script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, require, module, this.#file, dirname(this.#file));
    return module.exports;
  }

  /**
   * Writes the cache of what has been compiled so far (run the bundle first,
   * so the functions it ran are in it). False, changing nothing, when the
   * bundle has no id or the file cannot be written.
   */
  writeCache(): boolean {
    if (this.#header === undefined) return false;
    const temporary = `${this.#cacheFile}.${process.pid}.tmp`;
    let fd: number | undefined;
    try {
      // Opened first: in a directory that cannot be written to, nothing is made.
      fd = openSync(temporary, "wx");
      const data = withChecksums(() => this.#script.createCachedData());
      writeSync(fd, this.#header);
      writeSync(fd, data);
      closeSync(fd);
      fd = undefined;
      renameSync(temporary, this.#cacheFile);
      return true;
    } catch {
      if (fd !== undefined) closeSync(fd);
      rmSync(temporary, { force: true });
      return false;
    }
  }

  /** The cache's data past the id line; undefined when there is no cache or it is of another build. */
  #readCache(): Buffer | undefined {
    if (this.#header === undefined) return undefined;
    let cache: Buffer;
    try {
      cache = readFileSync(this.#cacheFile);
    } catch {
      return undefined;
    }
    const header = this.#header;
    const matches = cache.length > header.length && cache.subarray(0, header.length).equals(header);
    // Of another build: handed to V8 as empty data, which it rejects.
    return matches ? cache.subarray(header.length) : Buffer.alloc(0);
  }
}
