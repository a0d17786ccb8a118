/**
 * The `require` a bundled command runs with (src/commands/client/load.ts):
 * Node's modules that only some runs use are stand-ins that load the module
 * at the first use of one of its members. A bundle requires all of its
 * modules' imports when the module is first evaluated, so without this a
 * run that never compresses or signs would still load node:zlib and
 * node:crypto, and `--help` the sockets. What the bundle sees of a module is
 * the same either way: its members, read when used.
 */

/** The modules loaded at first use; the others (already loaded by Node's own start, or needed at once) are required as they are. */
export const LAZY_BUILTINS: ReadonlySet<string> = new Set([
  "node:child_process",
  "node:crypto",
  "node:dgram",
  "node:dns/promises",
  "node:fs/promises",
  "node:http",
  "node:net",
  "node:os",
  "node:timers/promises",
  "node:v8",
  "node:zlib",
]);

/** `require` with the modules of LAZY_BUILTINS as stand-ins, each made once. */
export function lazyRequire(require: NodeJS.Require): NodeJS.Require {
  const standIns = new Map<string, object>();
  const lazy = (id: string): unknown => {
    if (!LAZY_BUILTINS.has(id)) return require(id);
    let standIn = standIns.get(id);
    if (standIn === undefined) {
      standIn = loadedAtFirstUse(() => require(id) as object);
      standIns.set(id, standIn);
    }
    return standIn;
  };
  return Object.assign(lazy, {
    resolve: require.resolve,
    cache: require.cache,
    extensions: require.extensions,
    main: require.main,
  });
}

/** An object that stands for what `load` returns, calling it at the first look at a member. */
export function loadedAtFirstUse(load: () => object): object {
  let loaded: object | undefined;
  const real = () => {
    loaded ??= load();
    return loaded;
  };
  return new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(real(), key),
      has: (_, key) => Reflect.has(real(), key),
      ownKeys: () => Reflect.ownKeys(real()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
        // The stand-in's own target has no such member: a proxy may only
        // report it as configurable.
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    },
  );
}
