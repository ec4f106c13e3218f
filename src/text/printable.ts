/**
 * Text from a user's file made safe to print in a message: every character that is not a letter,
 * digit, punctuation, symbol or plain space (control bytes, escape sequences, the U+FFFD that
 * stands for an invalid UTF-8 byte) is written as \xNN or \uNNNN, and the result is cut to
 * `maxLength` characters, so a binary file cannot drive the terminal or flood it.
 */
export function printable(text: string, maxLength = 200): string {
  let out = "";
  for (const char of text) {
    if (out.length >= maxLength) return `${out}…`;
    const code = char.codePointAt(0) as number;
    if (/^[\p{L}\p{N}\p{P}\p{S} ]$/u.test(char) && code !== 0xfffd) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return out;
}
