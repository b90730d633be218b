import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryRequestShape, expectProblem as expectProblemBody, type ProblemBody, toRequest } from '#testing';
import { readJsonBody, validate, type FieldError, type Schema } from './problem-details.ts';

const BASE = 'http://localhost';

/** A trip as a client would post it. */
const tripSchema: Schema = {
  type: 'object',
  properties: {
    origin: { type: 'string', minLength: 1, maxLength: 100 },
    destination: { type: 'string', minLength: 1, maxLength: 100 },
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    seats: { type: 'integer', minimum: 1, maximum: 8 },
    pets: { type: 'boolean' },
    stops: {
      type: 'array',
      maxItems: 3,
      items: { type: 'object', properties: { city: { type: 'string', minLength: 1 }, minutes: { type: 'integer', minimum: 0 } }, required: ['city'] },
    },
  },
  required: ['origin', 'destination', 'date', 'seats'],
  additionalProperties: false,
};
const trip = { origin: 'Paris', destination: 'Lyon', date: '2026-05-01', seats: 3 };

/** The pointers of `errors`, in order. */
const pointers = (errors: FieldError[]) => errors.map((error) => error.pointer);

const postJson = (body: NonNullable<RequestInit['body']> | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request(`${BASE}/trips`, { method: 'POST', headers, body });

/** A request whose body arrives in `chunks`, with no Content-Length, as a chunked upload does. */
function streamed(chunks: Uint8Array[], headers: Record<string, string> = { 'content-type': 'application/json' }): { req: Request; pulls: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[pulled++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request(`${BASE}/trips`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  return { req, pulls: () => pulled };
}

interface Problem extends ProblemBody {
  errors?: FieldError[];
}

/** Asserts that `result` is an RFC 9457 problem with `status` and returns its body. */
async function expectProblem(result: Awaited<ReturnType<typeof readJsonBody>>, status: number): Promise<Problem> {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('unreachable');
  return expectProblemBody<Problem>(result.response, status);
}

describe('validate', () => {
  describe('strings', () => {
    it.each([
      { why: 'a string', schema: { type: 'string' }, value: 'Paris', detail: undefined },
      { why: 'a number', schema: { type: 'string' }, value: 42, detail: /string/ },
      { why: 'null', schema: { type: 'string' }, value: null, detail: /string/ },
      { why: 'too short', schema: { type: 'string', minLength: 2 }, value: 'a', detail: /at least 2/ },
      { why: 'too long', schema: { type: 'string', maxLength: 3 }, value: 'abcd', detail: /at most 3/ },
      { why: 'one emoji under maxLength 1 (one code point, two UTF-16 units)', schema: { type: 'string', maxLength: 1 }, value: '😀', detail: undefined },
      { why: 'one emoji under minLength 2', schema: { type: 'string', minLength: 2 }, value: '😀', detail: /at least 2/ },
      { why: 'matching ^[A-Z]{3}$', schema: { type: 'string', pattern: '^[A-Z]{3}$' }, value: 'CDG', detail: undefined },
      { why: 'not matching ^[A-Z]{3}$', schema: { type: 'string', pattern: '^[A-Z]{3}$' }, value: 'cdg', detail: /pattern/ },
      { why: 'matching an unanchored pattern anywhere', schema: { type: 'string', pattern: 'an' }, value: 'banana', detail: undefined },
      { why: 'in the enum', schema: { type: 'string', enum: ['economy', 'business'] }, value: 'business', detail: undefined },
      { why: 'not in the enum', schema: { type: 'string', enum: ['economy', 'business'] }, value: 'first', detail: /economy/ },
    ] as const)('should judge $why', ({ schema, value, detail }) => {
      const errors = validate(schema, value);
      expect(errors).toEqual(detail === undefined ? [] : [{ pointer: '', detail: expect.stringMatching(detail) }]);
    });
  });

  describe('numbers and integers', () => {
    it.each([
      { why: 'a fraction as a number', schema: { type: 'number' }, value: 1.5, detail: undefined },
      { why: 'a numeric string as a number', schema: { type: 'number' }, value: '1.5', detail: /number/ },
      { why: 'a boolean as a number', schema: { type: 'number' }, value: true, detail: /number/ },
      { why: 'NaN as a number', schema: { type: 'number' }, value: Number.NaN, detail: /number/ },
      { why: '1e999, which JSON.parse makes Infinity', schema: { type: 'number' }, value: JSON.parse('1e999') as number, detail: /number/ },
      { why: 'a fraction as an integer', schema: { type: 'integer' }, value: 1.5, detail: /integer/ },
      { why: '1.0 as an integer', schema: { type: 'integer' }, value: JSON.parse('1.0') as number, detail: undefined },
      { why: 'a numeric string as an integer', schema: { type: 'integer' }, value: '3', detail: /integer/ },
      { why: 'the minimum itself', schema: { type: 'integer', minimum: 1, maximum: 8 }, value: 1, detail: undefined },
      { why: 'the maximum itself', schema: { type: 'integer', minimum: 1, maximum: 8 }, value: 8, detail: undefined },
      { why: 'below the minimum', schema: { type: 'integer', minimum: 1, maximum: 8 }, value: 0, detail: /at least 1/ },
      { why: 'above the maximum', schema: { type: 'number', minimum: 1, maximum: 8 }, value: 8.5, detail: /at most 8/ },
    ] as const)('should judge $why', ({ schema, value, detail }) => {
      expect(validate(schema, value)).toEqual(detail === undefined ? [] : [{ pointer: '', detail: expect.stringMatching(detail) }]);
    });
  });

  describe('booleans', () => {
    it.each([
      { value: true, valid: true },
      { value: false, valid: true },
      { value: 'true', valid: false },
      { value: 0, valid: false },
    ])('should judge $value', ({ value, valid }) => {
      expect(validate({ type: 'boolean' }, value)).toEqual(valid ? [] : [{ pointer: '', detail: expect.stringMatching(/boolean/) }]);
    });
  });

  describe('objects', () => {
    it('should accept a valid object', () => {
      expect(validate(tripSchema, trip)).toEqual([]);
    });

    it('should report a missing required member at its own pointer', () => {
      const { date: _date, ...noDate } = trip;
      expect(validate(tripSchema, noDate)).toEqual([{ pointer: '/date', detail: expect.stringMatching(/required/) }]);
    });

    it('should report an invalid member at its pointer', () => {
      expect(validate(tripSchema, { ...trip, seats: 9 })).toEqual([{ pointer: '/seats', detail: expect.stringMatching(/at most 8/) }]);
    });

    it.each([{ value: null }, { value: [] }, { value: 'trip' }, { value: 3 }])('should not take $value for an object', ({ value }) => {
      expect(validate(tripSchema, value)).toEqual([{ pointer: '', detail: expect.stringMatching(/object/) }]);
    });

    it('should allow undeclared members by default', () => {
      expect(validate({ type: 'object', properties: {} }, { anything: 1 })).toEqual([]);
    });

    it('should refuse undeclared members when additionalProperties is false', () => {
      expect(validate(tripSchema, { ...trip, driver: 'Ann' })).toEqual([{ pointer: '/driver', detail: expect.stringMatching(/not allowed/) }]);
    });

    it('should treat members named like the properties of Object.prototype as plain data', () => {
      const value: unknown = JSON.parse('{"toString": 1, "constructor": 2, "__proto__": 3}');
      expect(pointers(validate({ type: 'object', properties: {}, additionalProperties: false }, value))).toEqual(['/toString', '/constructor', '/__proto__']);
      expect(validate({ type: 'object', properties: {} }, value)).toEqual([]);
      expect(pointers(validate({ type: 'object', properties: {}, required: ['toString'] }, {}))).toEqual(['/toString']);
    });
  });

  describe('arrays', () => {
    const cities: Schema = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 3 };

    it('should accept a valid array', () => {
      expect(validate(cities, ['Paris', 'Lyon'])).toEqual([]);
    });

    it('should point at the invalid items by index', () => {
      expect(validate(cities, ['Paris', '', 7])).toEqual([
        { pointer: '/1', detail: expect.stringMatching(/at least 1/) },
        { pointer: '/2', detail: expect.stringMatching(/string/) },
      ]);
    });

    it.each([
      { value: [], detail: /at least 1 item/ },
      { value: ['a', 'b', 'c', 'd'], detail: /at most 3 items/ },
      { value: { 0: 'Paris' }, detail: /array/ },
    ])('should refuse $value', ({ value, detail }) => {
      expect(validate(cities, value)).toEqual([{ pointer: '', detail: expect.stringMatching(detail) }]);
    });
  });

  describe('pointers (RFC 6901)', () => {
    it('should point at nested members through objects and arrays', () => {
      const errors = validate(tripSchema, { ...trip, stops: [{ city: 'Dijon' }, { minutes: 10 }, { city: 'Mâcon', minutes: -5 }] });
      expect(pointers(errors)).toEqual(['/stops/1/city', '/stops/2/minutes']);
    });

    it.each([
      { name: 'a/b', pointer: '/a~1b' },
      { name: 'm~n', pointer: '/m~0n' },
      { name: '~1', pointer: '/~01' },
      { name: '', pointer: '/' },
      { name: ' ', pointer: '/ ' },
    ])('should escape the member name "$name" as $pointer', ({ name, pointer }) => {
      const schema: Schema = { type: 'object', properties: { [name]: { type: 'integer' } }, required: [name] };
      expect(pointers(validate(schema, { [name]: 'x' }))).toEqual([pointer]);
      expect(pointers(validate(schema, {}))).toEqual([pointer]);
    });
  });

  describe('every error at once', () => {
    it('should list every error, in document order, missing members last', () => {
      const body = { pets: 'yes', seats: 1.5, origin: '', stops: [{ city: '' }, {}, {}, {}], extra: true };
      expect(validate(tripSchema, body)).toEqual([
        { pointer: '/pets', detail: expect.stringMatching(/boolean/) },
        { pointer: '/seats', detail: expect.stringMatching(/integer/) },
        { pointer: '/origin', detail: expect.stringMatching(/at least 1/) },
        { pointer: '/stops', detail: expect.stringMatching(/at most 3/) },
        { pointer: '/stops/0/city', detail: expect.stringMatching(/at least 1/) },
        { pointer: '/stops/1/city', detail: expect.stringMatching(/required/) },
        { pointer: '/stops/2/city', detail: expect.stringMatching(/required/) },
        { pointer: '/stops/3/city', detail: expect.stringMatching(/required/) },
        { pointer: '/extra', detail: expect.stringMatching(/not allowed/) },
        { pointer: '/destination', detail: expect.stringMatching(/required/) },
        { pointer: '/date', detail: expect.stringMatching(/required/) },
      ]);
    });

    it('should report every keyword a string breaks', () => {
      const schema: Schema = { type: 'string', minLength: 4, pattern: '^[a-z]+$', enum: ['lyon', 'nice'] };
      expect(validate(schema, 'AB')).toHaveLength(3);
    });
  });

  describe('bad schemas', () => {
    it('should throw a TypeError for an unknown type, which is a bug in the server', () => {
      expect(() => validate({ type: 'date' } as unknown as Schema, '2026-05-01')).toThrow(TypeError);
    });
  });
});

describe('readJsonBody', () => {
  describe('a valid body', () => {
    it('should give the parsed value', async () => {
      expect(await readJsonBody(postJson(JSON.stringify(trip)), tripSchema)).toEqual({ ok: true, value: trip });
    });

    it.each([{ contentType: 'application/json; charset=utf-8' }, { contentType: 'Application/JSON' }, { contentType: ' application/json ;foo=bar' }])(
      'should accept Content-Type $contentType',
      async ({ contentType }) => {
        expect(await readJsonBody(postJson(JSON.stringify(trip), { 'content-type': contentType }), tripSchema)).toMatchObject({ ok: true });
      },
    );

    it('should decode UTF-8, multi-byte characters included', async () => {
      const result = await readJsonBody(postJson(JSON.stringify({ ...trip, origin: 'Besançon 🚆' })), tripSchema);
      expect(result).toEqual({ ok: true, value: { ...trip, origin: 'Besançon 🚆' } });
    });
  });

  describe('422: well-formed JSON that breaks the schema', () => {
    it('should list the errors as { pointer, detail }', async () => {
      const body = await expectProblem(await readJsonBody(postJson(JSON.stringify({ ...trip, seats: 0, date: '1 May' })), tripSchema), 422);
      expect(body.errors).toEqual([
        { pointer: '/date', detail: expect.any(String) },
        { pointer: '/seats', detail: expect.any(String) },
      ]);
    });

    it('should answer 422, not 400, to JSON of the wrong type at the top', async () => {
      const body = await expectProblem(await readJsonBody(postJson('[1, 2]'), tripSchema), 422);
      expect(body.errors).toEqual([{ pointer: '', detail: expect.stringMatching(/object/) }]);
    });
  });

  describe('400: a body that is not JSON', () => {
    it.each([{ body: '{' }, { body: "{'origin': 'Paris'}" }, { body: 'Paris' }, { body: '{"a":1}{' }, { body: '[1,]' }, { body: 'NaN' }, { body: '{"a":1,}' }])(
      'should answer 400 to $body',
      async ({ body }) => {
        await expectProblem(await readJsonBody(postJson(body), tripSchema), 400);
      },
    );

    it.each([{ body: '' }, { body: ' \n\t' }])('should answer 400 to the empty body "$body"', async ({ body }) => {
      await expectProblem(await readJsonBody(postJson(body), tripSchema), 400);
    });

    it('should answer 400 to a request with no body at all', async () => {
      await expectProblem(await readJsonBody(postJson(null), tripSchema), 400);
    });

    it('should answer 400 to bytes that are not UTF-8', async () => {
      await expectProblem(await readJsonBody(postJson(new Uint8Array([0x22, 0xff, 0xfe, 0x22])), tripSchema), 400);
    });

    it('should answer 400 when the upload breaks off midway', async () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new Error('connection reset by peer'));
          sent = true;
          controller.enqueue(new TextEncoder().encode('{"origin": "Par'));
        },
      });
      const req = new Request(`${BASE}/trips`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      await expectProblem(await readJsonBody(req, tripSchema), 400);
    });
  });

  describe('415: not JSON by its media type', () => {
    it.each([
      { contentType: 'text/plain' },
      { contentType: 'application/x-www-form-urlencoded' },
      { contentType: 'application/jsonp' },
      { contentType: 'application/json-seq' },
      { contentType: 'json' },
    ])('should answer 415 with Accept to Content-Type $contentType', async ({ contentType }) => {
      const result = await readJsonBody(postJson(JSON.stringify(trip), { 'content-type': contentType }), tripSchema);
      await expectProblem(result, 415);
      if (!result.ok) expect(result.response.headers.get('accept')).toBe('application/json');
    });

    it('should answer 415 when the Content-Type is missing', async () => {
      // Bytes, not a string: a string body would get a text/plain Content-Type from Request.
      await expectProblem(await readJsonBody(postJson(new TextEncoder().encode(JSON.stringify(trip)), {}), tripSchema), 415);
    });
  });

  describe('413: too large', () => {
    const small = { maxBytes: 100 };
    const big = JSON.stringify({ ...trip, origin: 'x'.repeat(500) });

    it('should answer 413 from Content-Length alone, without reading the body', async () => {
      const req = postJson(JSON.stringify(trip), { 'content-type': 'application/json', 'content-length': '5000' });
      await expectProblem(await readJsonBody(req, tripSchema, small), 413);
      expect(req.bodyUsed).toBe(false);
    });

    it('should count the bytes when there is no Content-Length', async () => {
      const { req } = streamed([new TextEncoder().encode(big)]);
      await expectProblem(await readJsonBody(req, tripSchema, small), 413);
    });

    it('should count the bytes when Content-Length lies', async () => {
      const req = postJson(big, { 'content-type': 'application/json', 'content-length': '50' });
      await expectProblem(await readJsonBody(req, tripSchema, small), 413);
    });

    it('should stop reading as soon as the limit is passed', async () => {
      const { req, pulls } = streamed(Array.from({ length: 100 }, () => new Uint8Array(40).fill(0x20)));
      await expectProblem(await readJsonBody(req, tripSchema, small), 413);
      expect(pulls()).toBeLessThanOrEqual(5);
    });

    it('should count bytes, not characters', async () => {
      const body = '"ééé"'; // 5 characters, 8 bytes
      expect(await readJsonBody(postJson(body), { type: 'string' }, { maxBytes: 8 })).toEqual({ ok: true, value: 'ééé' });
      await expectProblem(await readJsonBody(postJson(body), { type: 'string' }, { maxBytes: 7 }), 413);
    });

    it('should take 1 MiB by default', async () => {
      const at = (length: number) => postJson('1', { 'content-type': 'application/json', 'content-length': String(length) });
      await expectProblem(await readJsonBody(at(1024 * 1024 + 1), { type: 'integer' }), 413);
      expect(await readJsonBody(at(1024 * 1024), { type: 'integer' })).toEqual({ ok: true, value: 1 });
    });

    it.each([{ maxBytes: 0 }, { maxBytes: -1 }, { maxBytes: 1.5 }, { maxBytes: Number.NaN }, { maxBytes: Number.POSITIVE_INFINITY }])(
      'should reject maxBytes $maxBytes with a RangeError',
      async ({ maxBytes }) => {
        await expect(readJsonBody(postJson('1'), { type: 'integer' }, { maxBytes })).rejects.toThrow(RangeError);
      },
    );
  });

  describe('the order of the checks', () => {
    it('should check the media type before the size', async () => {
      const req = postJson('x'.repeat(500), { 'content-type': 'text/plain', 'content-length': '500' });
      await expectProblem(await readJsonBody(req, tripSchema, { maxBytes: 100 }), 415);
    });

    it('should check the size before the syntax', async () => {
      await expectProblem(await readJsonBody(postJson('{'.repeat(500)), tripSchema, { maxBytes: 100 }), 413);
    });
  });
});

describe('properties', () => {
  // Random schemas, with member names that need escaping, and values built to satisfy them.
  const names = fc.constantFrom('a', 'b', 'a/b', 'm~n', '');
  const stringSchema: fc.Arbitrary<Schema> = fc.oneof(
    fc.tuple(fc.nat(3), fc.option(fc.nat(4), { nil: undefined })).map(([min, extra]) =>
      extra === undefined ? { type: 'string' as const, minLength: min } : { type: 'string' as const, minLength: min, maxLength: min + extra },
    ),
    fc.constantFrom('^[A-Z]{3}$', '^\\d{4}-\\d{2}-\\d{2}$', 'x').map((pattern) => ({ type: 'string' as const, pattern })),
    fc.uniqueArray(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((values) => ({ type: 'string' as const, enum: values })),
  );
  const numberSchema: fc.Arbitrary<Schema> = fc
    .tuple(fc.constantFrom('number' as const, 'integer' as const), fc.integer({ min: -5, max: 5 }), fc.nat(10))
    .map(([type, minimum, width]) => ({ type, minimum, maximum: minimum + width }));
  const { schema: arbitrarySchema } = fc.letrec<{ schema: Schema }>((tie) => ({
    schema: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      stringSchema,
      numberSchema,
      fc.constant<Schema>({ type: 'boolean' }),
      fc
        .dictionary(names, tie('schema'), { maxKeys: 3 })
        .chain((properties) =>
          fc
            .record({ required: fc.subarray(Object.keys(properties)), additionalProperties: fc.boolean() })
            .map(({ required, additionalProperties }): Schema => ({ type: 'object', properties, required, additionalProperties })),
        ),
      fc
        .tuple(tie('schema'), fc.nat(2), fc.nat(2))
        .map(([items, minItems, extra]): Schema => ({ type: 'array', items, minItems, maxItems: minItems + extra })),
    ),
  }));

  function valueFor(schema: Schema): fc.Arbitrary<unknown> {
    switch (schema.type) {
      case 'string':
        if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
        if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern, 'u'));
        return fc.string({ unit: 'binary', minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? (schema.minLength ?? 0) + 5 });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -100, max: schema.maximum ?? 100 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -100, max: schema.maximum ?? 100, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'object': {
        const members = Object.fromEntries(Object.entries(schema.properties).map(([name, member]) => [name, valueFor(member)]));
        return fc.record(members, { requiredKeys: [...(schema.required ?? [])] });
      }
      case 'array':
        return fc.array(valueFor(schema.items), { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 3 });
    }
  }

  /** Where a pointer leads in `root`: its parent and the last token, or undefined if the parent does not exist. */
  function resolveParent(root: unknown, pointer: string): { parent: unknown; token: string } | undefined {
    if (pointer === '') return { parent: undefined, token: '' };
    if (!pointer.startsWith('/')) return undefined;
    const tokens = pointer.slice(1).split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    let node = root;
    for (const token of tokens.slice(0, -1)) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, token)) return undefined;
      node = (node as Record<string, unknown>)[token];
    }
    return { parent: node, token: tokens.at(-1)! };
  }

  it('should accept every value generated from the schema', () => {
    fc.assert(
      fc.property(
        arbitrarySchema.chain((schema) => fc.tuple(fc.constant(schema), valueFor(schema))),
        ([schema, value]) => {
          expect(validate(schema, value)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should never throw for any JSON value, and point every error into the value', () => {
    fc.assert(
      fc.property(arbitrarySchema, fc.oneof(fc.jsonValue({ maxDepth: 3 }), arbitrarySchema.chain(valueFor)), (schema, value) => {
        for (const { pointer, detail } of validate(schema, value)) {
          expect(detail).toMatch(/\S/);
          const at = resolveParent(value, pointer);
          expect(at, `pointer ${JSON.stringify(pointer)}`).toBeDefined();
          // The pointer names the value itself, an item of an array, or a member (present or missing) of an object.
          if (pointer !== '') {
            expect(typeof at!.parent).toBe('object');
            if (Array.isArray(at!.parent)) expect(Number(at!.token)).toBeLessThan(at!.parent.length);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('should read the same value however the bytes are chunked, and refuse it iff it is over maxBytes', async () => {
    const schema: Schema = { type: 'array', items: { type: 'string' } };
    const input = fc.array(fc.string({ unit: 'binary', maxLength: 6 }), { maxLength: 6 }).chain((value) => {
      const bytes = new TextEncoder().encode(JSON.stringify(value));
      return fc.record({
        value: fc.constant(value),
        bytes: fc.constant(bytes),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 6 }),
        maxBytes: fc.integer({ min: 1, max: 2 * bytes.length }),
      });
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ value, bytes, cuts, maxBytes }) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b).filter((cut) => cut < bytes.length), bytes.length];
        const chunks = bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
        const result = await readJsonBody(streamed(chunks).req, schema, { maxBytes });
        if (bytes.length <= maxBytes) expect(result).toEqual({ ok: true, value });
        else await expectProblem(result, 413);
      }),
      { numRuns: 60 },
    );
  });

  it('should never answer 5xx, and answer with a well-formed problem, whatever the request', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequestShape(['/trips']), async (shape) => {
        const result = await readJsonBody(toRequest(shape), tripSchema, { maxBytes: 64 });
        if (result.ok) return;
        const status = result.response.status;
        expect([400, 413, 415, 422]).toContain(status);
        await expectProblem(result, status);
      }),
      { numRuns: 100 },
    );
  });
});
