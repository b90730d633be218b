/**
 * Problem details for request bodies: a validator for JSON values against a small declared
 * schema, and the pipeline that turns a request into a value or into the right RFC 9457 problem,
 * checking from the cheapest to the most expensive:
 *
 *   media type ──▶ 415    size ──▶ 413    UTF-8 and JSON syntax ──▶ 400    schema ──▶ 422
 *
 * validate walks the value once and collects every error, each with an RFC 6901 JSON Pointer,
 * in document order (parents before their members, members in the order they appear, missing
 * required members after the present ones).
 * Complexity: validate is O(size of the value) plus the cost of the patterns; readJsonBody reads
 * at most maxBytes + one chunk, whatever the body or its Content-Length header claim.
 * Trade-off: a deliberately small schema language (no $ref, no oneOf, no formats) that is enough
 * for request bodies and keeps every error message predictable.
 */
import { problem } from '#http';

/** A string, optionally bounded in length (in Unicode code points), matching a pattern, or one of a list. */
export interface StringSchema {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A regular expression (Unicode mode), unanchored as in JSON Schema: use ^…$ to match the whole string. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

/** A finite number, or an integer (1.0 is one), with inclusive bounds. */
export interface NumberSchema {
  readonly type: 'number' | 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface BooleanSchema {
  readonly type: 'boolean';
}

/** A JSON object (not null, not an array). Undeclared members are allowed unless `additionalProperties` is false. */
export interface ObjectSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export interface ArraySchema {
  readonly type: 'array';
  readonly items: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** The shape a JSON value must have: plain data, a small subset of JSON Schema. */
export type Schema = StringSchema | NumberSchema | BooleanSchema | ObjectSchema | ArraySchema;

/** One broken rule: where (an RFC 6901 JSON Pointer into the value) and what, for a human. */
export interface FieldError {
  readonly pointer: string;
  readonly detail: string;
}

export interface BodyOptions {
  /** The largest body accepted, in bytes; default 1 MiB. */
  readonly maxBytes?: number;
}

/** The parsed, valid body, or the problem response to send instead. */
export type BodyResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly response: Response };

const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * Every way `value` breaks `schema`, in document order; empty when it is valid. Never throws
 * for a JSON value (anything `JSON.parse` returns).
 * @throws {TypeError} when the schema (trusted code, not input) has an unknown `type`.
 */
export function validate(schema: Schema, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  check(schema, value, '', errors);
  return errors;
}

/**
 * Reads the body of `req` as JSON valid against `schema`. The result is the value, or a problem
 * response: 415 (with `Accept: application/json`) unless the media type is `application/json`
 * (parameters allowed, case-insensitive); 413 when Content-Length announces, or reading finds,
 * more than `maxBytes`; 400 for a body that is empty, not UTF-8 or not JSON; 422 with an
 * `errors` member (`[{ pointer, detail }]`) when the JSON breaks the schema.
 * @throws {RangeError} (the promise rejects) unless `maxBytes` is a positive integer.
 */
export async function readJsonBody(req: Request, schema: Schema, { maxBytes = DEFAULT_MAX_BYTES }: BodyOptions = {}): Promise<BodyResult> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);

  if (!isJsonMediaType(req.headers.get('content-type'))) {
    return fail(415, { detail: 'Send the body as application/json.', headers: { accept: 'application/json' } });
  }
  // The header is a cheap first answer, not a guarantee: it can be absent (chunked) or lie.
  const declared = req.headers.get('content-length')?.trim();
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) return tooLarge(maxBytes);

  let bytes: Uint8Array | undefined;
  try {
    bytes = await readAtMost(req.body, maxBytes);
  } catch {
    // The stream failed midway: the client aborted, or its chunked encoding was broken.
    return fail(400, { detail: 'The request body could not be read.' });
  }
  if (bytes === undefined) return tooLarge(maxBytes);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(400, { detail: 'The request body is not valid UTF-8.' });
  }
  if (text.trim() === '') return fail(400, { detail: 'The request body is empty; send a JSON document.' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(400, { detail: 'The request body is not valid JSON.' });
  }

  const errors = validate(schema, value);
  if (errors.length > 0) {
    const detail = `The request body breaks ${errors.length} ${errors.length === 1 ? 'rule' : 'rules'} of the schema.`;
    return fail(422, { detail, extensions: { errors } });
  }
  return { ok: true, value };
}

function check(schema: Schema, value: unknown, pointer: string, errors: FieldError[]): void {
  const report = (detail: string, at = pointer): void => {
    errors.push({ pointer: at, detail });
  };
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return report('must be a string');
      const length = codePoints(value);
      if (schema.minLength !== undefined && length < schema.minLength) report(`must be at least ${schema.minLength} characters long`);
      if (schema.maxLength !== undefined && length > schema.maxLength) report(`must be at most ${schema.maxLength} characters long`);
      if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) report(`must match the pattern ${schema.pattern}`);
      if (schema.enum !== undefined && !schema.enum.includes(value)) report(`must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      return;
    }
    case 'number':
    case 'integer': {
      // JSON.parse turns 1e999 into Infinity: valid syntax, but no number a handler can use.
      if (typeof value !== 'number' || !Number.isFinite(value)) return report(schema.type === 'integer' ? 'must be an integer' : 'must be a number');
      if (schema.type === 'integer' && !Number.isInteger(value)) return report('must be an integer');
      if (schema.minimum !== undefined && value < schema.minimum) report(`must be at least ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) report(`must be at most ${schema.maximum}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') report('must be a boolean');
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return report('must be an object');
      for (const [name, member] of Object.entries(value)) {
        // hasOwn, not `in` or a plain lookup: a member named toString or __proto__ is data, not a schema.
        if (Object.hasOwn(schema.properties, name)) check(schema.properties[name]!, member, `${pointer}/${escapeToken(name)}`, errors);
        else if (schema.additionalProperties === false) report('is not allowed', `${pointer}/${escapeToken(name)}`);
      }
      for (const name of schema.required ?? []) {
        if (!Object.hasOwn(value, name)) report('is required', `${pointer}/${escapeToken(name)}`);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return report('must be an array');
      if (schema.minItems !== undefined && value.length < schema.minItems) report(`must have at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) report(`must have at most ${schema.maxItems} items`);
      value.forEach((item, index) => check(schema.items, item, `${pointer}/${index}`, errors));
      return;
    }
    default:
      throw new TypeError(`schema type must be string, number, integer, boolean, object or array, got ${JSON.stringify((schema as { type?: unknown }).type)}`);
  }
}

/** JSON Schema counts code points: an emoji is one character, though two UTF-16 units. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** RFC 6901: `~` becomes `~0` first, then `/` becomes `~1` (the other order would turn `/` into `~01`). */
const escapeToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex === undefined) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

function isJsonMediaType(contentType: string | null): boolean {
  // `application/json; charset=utf-8` is JSON too; media types compare case-insensitively.
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The body's bytes, or `undefined` as soon as they pass `maxBytes`: the rest is never read. */
async function readAtMost(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | undefined> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const tooLarge = (maxBytes: number): BodyResult => fail(413, { detail: `The request body is larger than ${maxBytes} bytes.` });

const fail = (status: number, options: Parameters<typeof problem>[1]): BodyResult => ({ ok: false, response: problem(status, options) });
