/**
 * Problem details for request bodies: a validator for JSON values against a small declared
 * schema, and the pipeline that turns a request into a value or into the right RFC 9457 problem
 * (415, 413, 400 or 422).
 *
 * Read README.md for the rules, `npm run kata -- hint problem-details` when you are stuck. Build
 * every problem with `problem()` from `#http`.
 */

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

/**
 * Every way `value` breaks `schema`, in document order; empty when it is valid. Never throws
 * for a JSON value (anything `JSON.parse` returns).
 * @throws {TypeError} when the schema (trusted code, not input) has an unknown `type`.
 */
export function validate(_schema: Schema, _value: unknown): FieldError[] {
  throw new Error('TODO: implement validate');
}

/**
 * Reads the body of `req` as JSON valid against `schema`. The result is the value, or a problem
 * response: 415 (with `Accept: application/json`) unless the media type is `application/json`
 * (parameters allowed, case-insensitive); 413 when Content-Length announces, or reading finds,
 * more than `maxBytes`; 400 for a body that is empty, not UTF-8 or not JSON; 422 with an
 * `errors` member (`[{ pointer, detail }]`) when the JSON breaks the schema.
 * @throws {RangeError} (the promise rejects) unless `maxBytes` is a positive integer.
 */
export async function readJsonBody(_req: Request, _schema: Schema, _options: BodyOptions = {}): Promise<BodyResult> {
  throw new Error('TODO: implement readJsonBody');
}
