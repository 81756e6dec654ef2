import { isAmbiguous } from './yaml-quoting';

// A YAML writer for the plain data the renderers produce: objects, arrays, strings, numbers,
// booleans and null. It writes the same bytes as the `yaml` package's Document in 1.1 mode
// (`version: '1.1'`, `aliasDuplicateObjects: false`, `lineWidth: 0`) with the ambiguous values of
// `yaml-quoting.ts` double-quoted, which synth used before, at a fraction of the cost: the
// package builds a node tree of every document and resolves a tag for every scalar. Each rule
// below is the package's own (stringifyString.js, stringifyPair.js, stringifyCollection.js);
// test/synth/yaml-emitter.test.ts holds the two to the same bytes.

/** Thrown where the data is not plain; the caller then writes the document with the `yaml` package. */
class NotPlain extends Error {}

/**
 * YAML text of `value`, ending in a line break, or `undefined` when `value` holds something
 * other than plain data (a Date, a Map, a class instance, a bigint, a function) or is not a
 * collection at its top.
 */
export function emitYaml(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return `${collection(value, '')}\n`;
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}

const INDENT_STEP = '  ';

/** A collection whose lines are joined at `indent`; its first line starts where the caller is. */
function collection(value: object, indent: string): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : sequence(value, indent);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new NotPlain();
  return mapping(value as Record<string, unknown>, indent);
}

function sequence(items: readonly unknown[], indent: string): string {
  const itemIndent = indent + INDENT_STEP;
  let out = '';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += `\n${indent}`;
    const item = items[i];
    out += `- ${typeof item === 'object' && item !== null ? collection(item, itemIndent) : scalar(item, itemIndent)}`;
  }
  return out;
}

function mapping(map: Record<string, unknown>, indent: string): string {
  const inner = indent + INDENT_STEP;
  let out = '';
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    // Like the package: a key whose value is undefined is left out.
    if (value === undefined) continue;
    if (!first) out += `\n${indent}`;
    first = false;
    const keyText = mappingKey(key, inner);
    // A key longer than 1024 characters cannot be implicit.
    const explicit = keyText.length > 1024;
    out += explicit ? `? ${keyText}\n${indent}:` : `${keyText}:`;
    if (typeof value === 'object' && value !== null) {
      const text = collection(value, inner);
      out += explicit || text === '[]' || text === '{}' ? ` ${text}` : `\n${inner}${text}`;
    } else {
      out += ` ${scalar(value, inner)}`;
    }
  }
  return first ? '{}' : out;
}

/** A value other than a collection, written at `indent` (where its block lines go). */
function scalar(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      return stringValue(value, indent);
    case 'number':
      if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      if (value === null) return 'null';
      break;
  }
  throw new NotPlain();
}

// Plain text that no YAML 1.1 or 1.2 reader takes for anything but that string, checked cheaply:
// it starts with a letter, `/` or `$`, holds printable ASCII but spaces, and does not end in `:`.
// The only such strings that still mean something else are the words below (booleans and null
// in YAML 1.1) and `e3`-like floats.
const SIMPLE = /^[A-Za-z/$][!-~]*$/;
const WORDS = /^(?:[YyNn~]|[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF|[Nn]ull|NULL)$/;
const EXPONENT_ONLY = /^[eE][-+]?[0-9]+$/;

function isSimple(text: string): boolean {
  if (!SIMPLE.test(text) || text.charCodeAt(text.length - 1) === 58 /* : */) return false;
  if (text.length <= 5 && WORDS.test(text)) return false;
  const first = text.charCodeAt(0);
  return !((first === 101 || first === 69) /* e, E */ && EXPONENT_ONLY.test(text));
}

// The text of strings written lately, as values and as keys. A stack repeats the same strings
// across its files (labels, images, ports, env names); choosing a style for each again cost more
// than writing it. Only strings of one line: their text does not depend on the indentation. The
// caches are emptied when they get large, so they stay small.
const recentValues = new Map<string, string>();
const recentKeys = new Map<string, string>();
const RECENT_LIMIT = 20_000;

function remembered(cache: Map<string, string>, text: string, indent: string, write: (text: string, indent: string) => string): string {
  if (text.includes('\n')) return write(text, indent);
  let out = cache.get(text);
  if (out === undefined) {
    if (cache.size >= RECENT_LIMIT) cache.clear();
    out = write(text, indent);
    cache.set(text, out);
  }
  return out;
}

function stringValue(text: string, indent: string): string {
  return isSimple(text) ? text : remembered(recentValues, text, indent, styledValue);
}

function styledValue(text: string, indent: string): string {
  if (isAmbiguous(text)) {
    const quoted = doubleQuoted(text, indent, false);
    // The package writes `<<` bare, as the merge key it can be, unless its tag says string.
    return text === '<<' ? `!!str ${quoted}` : quoted;
  }
  return anyString(text, indent, false);
}

function mappingKey(key: string, indent: string): string {
  if (isSimple(key)) return key;
  // A key of the top mapping that starts like a document marker is quoted there only (see anyString).
  return DOCUMENT_MARKER.test(key) ? styledKey(key, indent) : remembered(recentKeys, key, indent, styledKey);
}

function styledKey(key: string, indent: string): string {
  // The package resolves `<<` as the merge key and writes it bare.
  if (key === '<<') return key;
  return anyString(key, indent, true);
}

// ---------------------------------------------------------------------------------------------
// The package's choice of style for a string (stringifyString.js), for block (not flow) context
// and no line folding.
// ---------------------------------------------------------------------------------------------

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/**
 * Strings that the YAML 1.1 schema resolves to another type when plain: null, booleans,
 * integers (binary, octal, decimal, hex, base 60), floats, the merge key, timestamps.
 */
const OTHER_TYPES: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  new RegExp(
    '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
      '(?:' + // time is optional
      '(?:t|T|[ \\t]+)' + // t | T | whitespace
      '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
      '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
      ')?$',
  ),
];

function anyString(text: string, indent: string, implicitKey: boolean): string {
  if (CONTROL.test(text)) return doubleQuoted(text, indent, implicitKey);
  if (implicitKey && text.includes('\n')) return quoted(text, indent, implicitKey);
  if (NOT_PLAIN.test(text)) {
    return implicitKey || !text.includes('\n') ? quoted(text, indent, implicitKey) : block(text, indent);
  }
  if (!implicitKey && text.includes('\n')) return block(text, indent);
  // A key of the top mapping (written at one step) that starts like a document marker.
  if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(text)) return quoted(text, indent, implicitKey);
  for (const type of OTHER_TYPES) {
    if (type.test(text)) return quoted(text, indent, implicitKey);
  }
  return text;
}

function quoted(text: string, indent: string, implicitKey: boolean): string {
  const hasDouble = text.includes('"');
  const hasSingle = text.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(text, indent, implicitKey) : doubleQuoted(text, indent, implicitKey);
}

function singleQuoted(text: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && text.includes('\n')) || /[ \t]\n|\n[ \t]/.test(text)) return doubleQuoted(text, indent, implicitKey);
  const lineIndent = indent || (DOCUMENT_MARKER.test(text) ? INDENT_STEP : '');
  return `'${text.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/** Shorter escapes than JSON's for the characters YAML names. */
const YAML_ESCAPES: Record<string, string> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/** Double-quoted text. Long values (40 characters and more) break their lines where the value does. */
function doubleQuoted(text: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(text);
  if (!json.includes('\\')) return json;
  const lineIndent = indent || (DOCUMENT_MARKER.test(text) ? INDENT_STEP : '');
  let out = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // A space before a line break is escaped, or the break would eat it.
      out += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    switch (json[i + 1]) {
      case 'u': {
        out += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        out += YAML_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6));
        i += 5;
        start = i + 1;
        break;
      }
      case 'n':
        if (implicitKey || json[i + 2] === '"' || json.length < 40) {
          i += 1;
        } else {
          // A line break inside double quotes is read as a space: the first one takes two.
          out += `${json.slice(start, i)}\n\n`;
          while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
            out += '\n';
            i += 2;
          }
          out += lineIndent;
          // A space at the start of a line is escaped, or it would be read as indentation.
          if (json[i + 2] === ' ') out += '\\';
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  return start ? out + json.slice(start) : json;
}

const TRAILING_BLANK_LINE = /\n[\t ]+$/;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A literal block scalar (`|`), with the chomping and indentation indicators the text needs. */
function block(text: string, indent: string): string {
  // A block cannot end in white space but on a line of its own.
  if (TRAILING_BLANK_LINE.test(text)) return quoted(text, indent, false);
  let value = text;
  let endStart = value.length;
  for (; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startsWithSpace = false;
  let startEnd = 0;
  let startNewline = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startsWithSpace = true;
    else if (ch === '\n') startNewline = startEnd;
    else break;
  }
  let start = value.substring(0, startNewline < startEnd ? startNewline + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  // Text that starts with a space needs its indentation stated: two spaces, one step.
  const header = (startsWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
