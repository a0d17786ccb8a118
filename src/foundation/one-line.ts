/**
 * Text made fit for one stderr line: each control character but the tab
 * (a newline in a file name, in the text a JSON parser quotes, a terminal
 * escape) is written as its JSON escape (`\n`, `\r`, `\u001b`), so that a
 * message built from outside text stays one line and shows what was there.
 */

const TAB = 0x09;
const DEL = 0x7f;

function escaped(code: number): string {
  if (code === 0x0a) return "\\n";
  if (code === 0x0d) return "\\r";
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

export function oneLine(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== TAB) || code === DEL) {
      out += text.slice(from, i) + escaped(code);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
