/**
 * The rules of `--multiline` (java, node, python) and of
 * `--multiline-start REGEX`: which lines continue the pending entry. Each
 * preset keeps to what its runtime prints; anything else starts a new
 * entry. The anchors are Fluent Bit's built-in multiline parsers and
 * Vector's `multiline` (start pattern mode).
 */
import type { MultilineRule, PendingEntry } from "./multiline.js";

export const MULTILINE_PRESETS = ["java", "node", "python"] as const;
export type MultilinePreset = (typeof MULTILINE_PRESETS)[number];

/** An indented line (space or tab first). */
const INDENTED = /^[ \t]/;

/** `\tat com.example.App.run(App.java:42)`, `... 3 more`, `Caused by: ...`, `Suppressed: ...`. */
const JAVA_CONTINUATION =
  /^(?:[ \t]+at |[ \t]*\.\.\. \d+ (?:more|common frames omitted)\s*$|[ \t]*(?:Caused by|Suppressed|Wrapped by): |[ \t]*nested exception is:)/;
/** `java.lang.IllegalStateException: boom`: a qualified throwable class at the start. */
const JAVA_THROWABLE = /^(?:[A-Za-z_$][\w$]*\.)+[\w$]*(?:Exception|Error|Throwable)(?::|\s*$)/;
/** The entry has stack frames already. */
const HAS_FRAMES = 1;

/**
 * Java: frames (`at ...`), `... N more`, `Caused by:`, `Suppressed:` and
 * `nested exception is:` continue; so does a throwable's first line
 * (`java.lang.IllegalStateException: boom`) right after a line with no
 * frames yet, which is how loggers print a message and its exception.
 */
export const javaRule: MultilineRule = {
  begin: () => 0,
  continues(line, entry) {
    if (JAVA_CONTINUATION.test(line)) {
      entry.state |= HAS_FRAMES;
      return true;
    }
    return (entry.state & HAS_FRAMES) === 0 && JAVA_THROWABLE.test(line);
  },
};

/** `    ^` under the source line of an uncaught exception's code frame. */
const CARET = /^[ \t]*\^+[ \t]*$/;
/** `/app/server.js:12` (or `file:///...`): the first line of an uncaught exception. */
const CODE_FRAME = /^(?:file:\/\/)?\S+\.[cm]?[jt]sx?:\d+\s*$/;
/** `Error: boom`, `TypeError [ERR_X]: ...`, `Error`: an error's first line. */
const NODE_ERROR = /^(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[\w.]+\])?(?::|\s*$)/;
/** `Node.js v20.20.0`: the last line of an uncaught exception. */
const NODE_VERSION = /^Node\.js v\d+/;
/** `}` or `]` closing an inspected error's properties (`{ code: 'E_X' }`). */
const CLOSING = /^[}\]]\s*$/;
/** The entry is a code frame (its first line was `file.js:12`). */
const IN_CODE_FRAME = 1;

/**
 * Node: indented lines (`    at ...`, `    ... 3 lines matching cause stack
 * trace ...`, `  [cause]: Error: ...`, inspected properties) continue, and so
 * do a closing `}`, the caret line of a code frame, and the `Node.js vN`
 * trailer. An uncaught exception's report (`file.js:12`, the source line,
 * `^`, `Error: ...`, frames) is one entry: after a code frame, the source
 * line and the error line continue too.
 */
export const nodeRule: MultilineRule = {
  begin: (line) => (CODE_FRAME.test(line) ? IN_CODE_FRAME : 0),
  continues(line, entry) {
    if (INDENTED.test(line) || CARET.test(line) || NODE_VERSION.test(line)) return true;
    if (CLOSING.test(line)) return true;
    if (entry.state !== IN_CODE_FRAME) return false;
    return entry.lines === 1 || (CARET.test(entry.last) && NODE_ERROR.test(line));
  },
};

const TRACEBACK = /^Traceback \(most recent call last\):\s*$/;
/** The lines between chained exceptions. */
const PYTHON_CHAIN =
  /^(?:During handling of the above exception, another exception occurred:|The above exception was the direct cause of the following exception:)\s*$/;
/** Python entry states: inside a traceback (frames), or just after its exception line. */
const IN_TRACEBACK = 1;
const AFTER_TRACEBACK = 2;

/**
 * Python: `Traceback (most recent call last):` continues the line before it
 * (`logger.exception` writes its message, then the traceback) and starts a
 * traceback; indented lines continue; inside a traceback the first
 * unindented line is the exception (`ValueError: bad value`), which
 * continues and ends it. The lines that chain exceptions (`During handling
 * of the above exception, ...`) continue after it.
 */
export const pythonRule: MultilineRule = {
  begin: (line) => (TRACEBACK.test(line) ? IN_TRACEBACK : 0),
  continues(line, entry) {
    if (TRACEBACK.test(line)) {
      entry.state = IN_TRACEBACK;
      return true;
    }
    if (INDENTED.test(line)) return true;
    if (entry.state === IN_TRACEBACK && INDENTED.test(entry.last)) {
      entry.state = AFTER_TRACEBACK;
      return true;
    }
    return entry.state === AFTER_TRACEBACK && PYTHON_CHAIN.test(line);
  },
};

/** The rule of a preset. */
export function presetRule(preset: MultilinePreset): MultilineRule {
  if (preset === "java") return javaRule;
  return preset === "node" ? nodeRule : pythonRule;
}

/** `--multiline-start`: a line matching `start` starts an entry; any other line continues it. */
export function startRule(start: RegExp): MultilineRule {
  return {
    begin: () => 0,
    continues: (line: string, _entry: PendingEntry) => !start.test(line),
  };
}
