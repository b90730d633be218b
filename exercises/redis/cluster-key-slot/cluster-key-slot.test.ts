import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClusterClient,
  crc16,
  CrossSlotError,
  groupBySlot,
  keySlot,
  parseRedirection,
  slotOf,
  SLOT_COUNT,
  SlotTable,
  TooManyRedirectionsError,
  type Key,
  type Send,
  type SlotRange,
} from './cluster-key-slot.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...values: number[]) => new Uint8Array(values);

/** Three masters, as `redis-cli --cluster create` splits the slots. */
const threeMasters: SlotRange[] = [
  { start: 0, end: 5460, node: '10.0.0.1:6379' },
  { start: 5461, end: 10922, node: '10.0.0.2:6379' },
  { start: 10923, end: 16383, node: '10.0.0.3:6379' },
];

/** A sent command, as a fake cluster records it. */
interface Sent {
  readonly node: string;
  readonly command: string;
  readonly asking: boolean;
}

/** A `send` that replies from a script, one entry per call: a value, or an error it rejects with. */
function scripted(replies: (string | Error)[]) {
  const sent: Sent[] = [];
  const send: Send<string> = async (node, command, { asking }) => {
    sent.push({ node, command: command.join(' '), asking });
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`the script has no reply left for call ${sent.length}`);
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { send, sent };
}

describe('crc16', () => {
  it('should give the XMODEM check value 0x31C3 for "123456789"', () => {
    expect(crc16(utf8('123456789'))).toBe(0x31c3);
  });

  it.each([
    { name: 'nothing', data: bytes(), crc: 0x0000 },
    { name: '"A"', data: utf8('A'), crc: 0x58e5 },
    { name: '"foo"', data: utf8('foo'), crc: 0xaf96 },
    { name: 'a zero byte', data: bytes(0), crc: 0x0000 },
  ])('should give $crc for $name', ({ data, crc }) => {
    expect(crc16(data)).toBe(crc);
  });

  it('should accept a Buffer, which is a Uint8Array', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('should reject what is not bytes with a TypeError', () => {
    expect(() => crc16('123456789' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('keySlot', () => {
  // Every slot below is what CLUSTER KEYSLOT answers on Redis 7.
  it.each([
    { key: 'foo', slot: 12182 },
    { key: 'somekey', slot: 11058 },
    { key: 'user:1000', slot: 1649 },
    { key: '', slot: 0 },
    { key: 'foo{hash_tag}', slot: 2515 },
    { key: 'bar{hash_tag}', slot: 2515 },
  ])('should put $key in slot $slot', ({ key, slot }) => {
    expect(keySlot(key)).toBe(slot);
  });

  describe('hash tags', () => {
    it('should put keys that share a tag in one slot, the slot of the tag', () => {
      expect(keySlot('{user1000}.following')).toBe(3443);
      expect(keySlot('{user1000}.followers')).toBe(3443);
      expect(keySlot('user1000')).toBe(3443);
    });

    it.each([
      { key: 'foo{bar}{zap}', hashed: 'bar', slot: 5061, why: 'only the first tag counts' },
      { key: 'foo{{bar}}zap', hashed: '{bar', slot: 4015, why: 'the tag runs from the first { to the first } after it' },
      { key: 'foo{}{bar}', hashed: 'foo{}{bar}', slot: 8363, why: 'an empty first tag means no tag at all' },
      { key: '{}', hashed: '{}', slot: 15257, why: 'an empty tag means no tag at all' },
      { key: 'a{b', hashed: 'a{b', slot: 13340, why: 'a { without a } after it is no tag' },
      { key: '}a{', hashed: '}a{', slot: 11710, why: 'a } before the { is no tag' },
    ])('should hash $hashed for $key: $why', ({ key, hashed, slot }) => {
      expect(keySlot(key)).toBe(slot);
      expect(keySlot(key)).toBe(crc16(utf8(hashed)) & 0x3fff);
    });

    it('should use the tag of a key given as bytes', () => {
      expect(keySlot(bytes(0x7b, 0xff, 0x7d, 0x78))).toBe(7920); // {\xff}x
      expect(keySlot(bytes(0xff))).toBe(7920);
    });
  });

  describe('UTF-8', () => {
    it.each([
      { key: 'café', slot: 5735 },
      { key: 'ключ', slot: 10303 },
      { key: '日本語', slot: 12788 },
      { key: '🔑', slot: 3314 },
    ])('should hash $key as its UTF-8 bytes, slot $slot', ({ key, slot }) => {
      expect(keySlot(key)).toBe(slot);
      expect(keySlot(utf8(key))).toBe(slot);
    });

    it('should not hash one byte per UTF-16 code unit (latin1)', () => {
      expect(keySlot(bytes(0x63, 0x61, 0x66, 0xe9))).toBe(9182); // "café" in latin1
      expect(keySlot('café')).not.toBe(9182);
    });

    it('should hash binary keys that are not UTF-8 as they are', () => {
      expect(keySlot(bytes(0xff, 0x00, 0xfe))).toBe(434);
    });
  });

  it('should reject a key that is neither a string nor bytes with a TypeError', () => {
    expect(() => keySlot(42 as unknown as Key)).toThrow(TypeError);
  });
});

describe('slotOf', () => {
  it('should give the slot of a single key', () => {
    expect(slotOf(['foo'])).toBe(12182);
  });

  it('should give the shared slot of keys with one hash tag', () => {
    expect(slotOf(['{user1000}.following', '{user1000}.followers', 'user1000'])).toBe(3443);
  });

  it('should reject keys in different slots with a CrossSlotError, in the words of Redis', () => {
    expect(() => slotOf(['{user1000}.following', 'foo'])).toThrow(CrossSlotError);
    expect(() => slotOf(['foo', 'bar'])).toThrow("CROSSSLOT Keys in request don't hash to the same slot");
  });

  it('should check every key, not only the first two', () => {
    expect(() => slotOf(['{user1000}.following', '{user1000}.followers', 'foo'])).toThrow(CrossSlotError);
  });

  it('should reject a command without keys with a RangeError', () => {
    expect(() => slotOf([])).toThrow(RangeError);
  });
});

describe('groupBySlot', () => {
  it('should group keys by slot, slots in the order of their first key', () => {
    const groups = groupBySlot(['foo', 'bar', '{foo}:a', 'user1000', '{bar}:b', '{foo}:c']);
    expect([...groups]).toEqual([
      [12182, ['foo', '{foo}:a', '{foo}:c']],
      [5061, ['bar', '{bar}:b']],
      [3443, ['user1000']],
    ]);
  });

  it('should give no group for no keys', () => {
    expect(groupBySlot([]).size).toBe(0);
  });
});

describe('parseRedirection', () => {
  it.each([
    { message: 'MOVED 3999 127.0.0.1:6381', redirection: { kind: 'MOVED', slot: 3999, node: '127.0.0.1:6381' } },
    { message: 'ASK 3999 127.0.0.1:6381', redirection: { kind: 'ASK', slot: 3999, node: '127.0.0.1:6381' } },
    { message: 'MOVED 0 redis-2.internal:6379', redirection: { kind: 'MOVED', slot: 0, node: 'redis-2.internal:6379' } },
    { message: 'ASK 16383 10.0.0.3:7000', redirection: { kind: 'ASK', slot: 16383, node: '10.0.0.3:7000' } },
  ])('should read $message', ({ message, redirection }) => {
    expect(parseRedirection(message)).toEqual(redirection);
  });

  it.each([
    { message: 'WRONGTYPE Operation against a key holding the wrong kind of value' },
    { message: "CROSSSLOT Keys in request don't hash to the same slot" },
    { message: 'TRYAGAIN Multiple keys request during rehashing of slot' },
    { message: 'MOVED 16384 127.0.0.1:6381' },
    { message: 'MOVED -1 127.0.0.1:6381' },
    { message: 'MOVED abc 127.0.0.1:6381' },
    { message: 'MOVED 3999' },
    { message: 'moved 3999 127.0.0.1:6381' },
    { message: '' },
  ])('should find no redirection in $message', ({ message }) => {
    expect(parseRedirection(message)).toBeUndefined();
  });
});

describe('SlotTable', () => {
  describe('nodeFor', () => {
    it.each([
      { slot: 0, node: '10.0.0.1:6379' },
      { slot: 5460, node: '10.0.0.1:6379' },
      { slot: 5461, node: '10.0.0.2:6379' },
      { slot: 10922, node: '10.0.0.2:6379' },
      { slot: 10923, node: '10.0.0.3:6379' },
      { slot: 16383, node: '10.0.0.3:6379' },
    ])('should give $node for slot $slot', ({ slot, node }) => {
      expect(new SlotTable(threeMasters).nodeFor(slot)).toBe(node);
    });

    it.each([{ slot: -1 }, { slot: 16384 }, { slot: 1.5 }, { slot: Number.NaN }])(
      'should reject slot $slot with a RangeError',
      ({ slot }) => {
        expect(() => new SlotTable(threeMasters).nodeFor(slot)).toThrow(RangeError);
      },
    );
  });

  describe('ranges', () => {
    it('should list the ranges in slot order, whatever order they came in', () => {
      expect(new SlotTable([...threeMasters].reverse()).ranges()).toEqual(threeMasters);
    });

    it('should merge adjacent ranges of one node, and keep a node with several ranges', () => {
      const table = new SlotTable([
        { start: 0, end: 99, node: 'a:1' },
        { start: 100, end: 8191, node: 'a:1' },
        { start: 8192, end: 9000, node: 'b:1' },
        { start: 9001, end: 16383, node: 'a:1' },
      ]);
      expect(table.ranges()).toEqual([
        { start: 0, end: 8191, node: 'a:1' },
        { start: 8192, end: 9000, node: 'b:1' },
        { start: 9001, end: 16383, node: 'a:1' },
      ]);
    });
  });

  describe('assign', () => {
    it('should move one slot to another node, and only that slot', () => {
      const table = new SlotTable(threeMasters);
      table.assign(3999, '10.0.0.2:6379');
      expect(table.nodeFor(3999)).toBe('10.0.0.2:6379');
      expect(table.nodeFor(3998)).toBe('10.0.0.1:6379');
      expect(table.nodeFor(4000)).toBe('10.0.0.1:6379');
      expect(table.ranges()).toEqual([
        { start: 0, end: 3998, node: '10.0.0.1:6379' },
        { start: 3999, end: 3999, node: '10.0.0.2:6379' },
        { start: 4000, end: 5460, node: '10.0.0.1:6379' },
        ...threeMasters.slice(1),
      ]);
    });

    it('should accept a node the table has not seen yet', () => {
      const table = new SlotTable(threeMasters);
      table.assign(16383, '10.0.0.4:6379');
      expect(table.nodeFor(16383)).toBe('10.0.0.4:6379');
    });

    it('should reject a bad slot or an empty node with a RangeError', () => {
      const table = new SlotTable(threeMasters);
      expect(() => table.assign(16384, 'a:1')).toThrow(RangeError);
      expect(() => table.assign(0, '')).toThrow(RangeError);
    });
  });

  describe('validation', () => {
    it.each([
      { name: 'a gap', ranges: [threeMasters[0]!, threeMasters[2]!], message: /slot 5461 is not assigned/ },
      {
        name: 'an overlap',
        ranges: [{ start: 0, end: 5461, node: 'a:1' }, ...threeMasters.slice(1)],
        message: /slot 5461 is assigned twice/,
      },
      { name: 'no ranges', ranges: [], message: /slot 0 is not assigned/ },
      { name: 'the last slot missing', ranges: [{ start: 0, end: 16382, node: 'a:1' }], message: /slot 16383 is not assigned/ },
      { name: 'slot 16384', ranges: [{ start: 0, end: 16384, node: 'a:1' }], message: /16384/ },
      { name: 'a negative start', ranges: [{ start: -1, end: 16383, node: 'a:1' }], message: /-1/ },
      { name: 'a fractional slot', ranges: [{ start: 0, end: 1.5, node: 'a:1' }], message: /1\.5/ },
      { name: 'a reversed range', ranges: [{ start: 16383, end: 0, node: 'a:1' }], message: /16383\.\.0/ },
      { name: 'an empty node', ranges: [{ start: 0, end: 16383, node: '' }], message: /node/ },
    ])('should reject $name with a RangeError', ({ ranges, message }) => {
      expect(() => new SlotTable(ranges)).toThrow(RangeError);
      expect(() => new SlotTable(ranges)).toThrow(message);
    });

    it('should reject what is not a list of ranges with a TypeError', () => {
      expect(() => new SlotTable(undefined as unknown as SlotRange[])).toThrow(TypeError);
      expect(() => new SlotTable([null as unknown as SlotRange])).toThrow(TypeError);
    });
  });
});

describe('ClusterClient', () => {
  describe('routing', () => {
    it('should send a command to the node that serves its slot, and resolve to the reply', async () => {
      const { send, sent } = scripted(['bar']);
      const client = new ClusterClient(new SlotTable(threeMasters), send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).resolves.toBe('bar');
      expect(sent).toEqual([{ node: '10.0.0.3:6379', command: 'GET foo', asking: false }]);
    });

    it('should send a multi-key command whose keys share a tag', async () => {
      const { send, sent } = scripted(['OK']);
      const client = new ClusterClient(new SlotTable(threeMasters), send);
      const keys = ['{user1000}.following', '{user1000}.followers'];
      await expect(client.execute(['SUNIONSTORE', ...keys], keys)).resolves.toBe('OK');
      expect(sent).toEqual([{ node: '10.0.0.1:6379', command: 'SUNIONSTORE {user1000}.following {user1000}.followers', asking: false }]);
    });

    it('should reject a cross-slot command with a CrossSlotError without sending it', async () => {
      const { send, sent } = scripted(['OK']);
      const client = new ClusterClient(new SlotTable(threeMasters), send);
      await expect(client.execute(['MGET', 'foo', 'bar'], ['foo', 'bar'])).rejects.toThrow(CrossSlotError);
      expect(sent).toEqual([]);
    });

    it('should pass any other error of a node through unchanged', async () => {
      const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
      const { send, sent } = scripted([wrongType]);
      const client = new ClusterClient(new SlotTable(threeMasters), send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).rejects.toBe(wrongType);
      expect(sent).toHaveLength(1);
    });
  });

  describe('MOVED', () => {
    it('should resend to the new owner and remember it for that slot only', async () => {
      const table = new SlotTable(threeMasters);
      const { send, sent } = scripted([new Error('MOVED 12182 10.0.0.2:6379'), 'bar', 'baz']);
      const client = new ClusterClient(table, send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).resolves.toBe('bar');
      await expect(client.execute(['GET', '{foo}:x'], ['{foo}:x'])).resolves.toBe('baz');
      expect(sent).toEqual([
        { node: '10.0.0.3:6379', command: 'GET foo', asking: false },
        { node: '10.0.0.2:6379', command: 'GET foo', asking: false },
        { node: '10.0.0.2:6379', command: 'GET {foo}:x', asking: false },
      ]);
      expect(table.nodeFor(12182)).toBe('10.0.0.2:6379');
      expect(table.nodeFor(12181)).toBe('10.0.0.3:6379');
      expect(table.nodeFor(12183)).toBe('10.0.0.3:6379');
    });
  });

  describe('ASK', () => {
    it('should ask the target once with ASKING, and keep the table as it was', async () => {
      const table = new SlotTable(threeMasters);
      const { send, sent } = scripted([new Error('ASK 12182 10.0.0.1:6379'), 'bar', 'baz']);
      const client = new ClusterClient(table, send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).resolves.toBe('bar');
      await expect(client.execute(['GET', 'foo'], ['foo'])).resolves.toBe('baz');
      expect(sent).toEqual([
        { node: '10.0.0.3:6379', command: 'GET foo', asking: false },
        { node: '10.0.0.1:6379', command: 'GET foo', asking: true },
        { node: '10.0.0.3:6379', command: 'GET foo', asking: false },
      ]);
      expect(table.ranges()).toEqual(threeMasters);
    });

    it('should send ASKING only with the attempt right after ASK', async () => {
      // The migration ends between the two sends: the target is the owner now and says so.
      const table = new SlotTable(threeMasters);
      const { send, sent } = scripted([new Error('ASK 12182 10.0.0.1:6379'), new Error('MOVED 12182 10.0.0.2:6379'), 'bar']);
      const client = new ClusterClient(table, send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).resolves.toBe('bar');
      expect(sent).toEqual([
        { node: '10.0.0.3:6379', command: 'GET foo', asking: false },
        { node: '10.0.0.1:6379', command: 'GET foo', asking: true },
        { node: '10.0.0.2:6379', command: 'GET foo', asking: false },
      ]);
      expect(table.nodeFor(12182)).toBe('10.0.0.2:6379');
    });
  });

  describe('a bound on redirections', () => {
    it('should give up with a TooManyRedirectionsError when nodes keep redirecting', async () => {
      const moved = [1, 2, 3, 4].map((n) => new Error(`MOVED 12182 10.0.0.${n % 2 === 0 ? 1 : 2}:6379`));
      const { send, sent } = scripted([...moved, 'never']);
      const client = new ClusterClient(new SlotTable(threeMasters), send, { maxRedirections: 3 });
      const failure = client.execute(['GET', 'foo'], ['foo']);
      await expect(failure).rejects.toThrow(TooManyRedirectionsError);
      await expect(failure).rejects.toMatchObject({ slot: 12182, redirections: 3, cause: moved[3] });
      expect(sent.map((s) => s.node)).toEqual(['10.0.0.3:6379', '10.0.0.2:6379', '10.0.0.1:6379', '10.0.0.2:6379']);
    });

    it('should follow no redirection at all with maxRedirections 0', async () => {
      const { send, sent } = scripted([new Error('ASK 12182 10.0.0.1:6379'), 'never']);
      const client = new ClusterClient(new SlotTable(threeMasters), send, { maxRedirections: 0 });
      await expect(client.execute(['GET', 'foo'], ['foo'])).rejects.toMatchObject({ name: 'TooManyRedirectionsError', redirections: 0 });
      expect(sent).toHaveLength(1);
    });

    it('should follow 16 redirections by default', async () => {
      const replies = Array.from({ length: 17 }, (_, n) => new Error(`ASK 12182 10.0.0.${(n % 3) + 1}:6379`));
      const { send, sent } = scripted([...replies, 'never']);
      const client = new ClusterClient(new SlotTable(threeMasters), send);
      await expect(client.execute(['GET', 'foo'], ['foo'])).rejects.toMatchObject({ name: 'TooManyRedirectionsError', redirections: 16 });
      expect(sent).toHaveLength(17);
    });
  });

  describe('validation', () => {
    it('should reject a bad table or send with a TypeError', () => {
      const { send } = scripted([]);
      expect(() => new ClusterClient(threeMasters as unknown as SlotTable, send)).toThrow(TypeError);
      expect(() => new ClusterClient(new SlotTable(threeMasters), undefined as unknown as Send<string>)).toThrow(TypeError);
    });

    it.each([{ maxRedirections: -1 }, { maxRedirections: 1.5 }, { maxRedirections: Number.POSITIVE_INFINITY }])(
      'should reject maxRedirections $maxRedirections with a RangeError',
      ({ maxRedirections }) => {
        const { send } = scripted([]);
        expect(() => new ClusterClient(new SlotTable(threeMasters), send, { maxRedirections })).toThrow(RangeError);
      },
    );
  });
});

describe('properties', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 12 });
  const withoutOpenBrace = text.map((s) => s.replaceAll('{', ''));
  const nonEmptyTag = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((s) => s.replaceAll('}', '')).filter((s) => s !== '');

  it('should hash a key without { as a whole, into a slot in 0..16383', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }).map((data) => data.filter((b) => b !== 0x7b)), (key) => {
        const slot = keySlot(key);
        expect(slot).toBe(crc16(key) & 0x3fff);
        expect(Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('should put a string key in the slot of its UTF-8 bytes', () => {
    fc.assert(
      fc.property(text, (key) => {
        expect(keySlot(key)).toBe(keySlot(utf8(key)));
      }),
      { numRuns: 200 },
    );
  });

  it('should put any key whose first tag is {t} in the slot of t', () => {
    fc.assert(
      fc.property(withoutOpenBrace, nonEmptyTag, text, (prefix, tag, suffix) => {
        expect(keySlot(`${prefix}{${tag}}${suffix}`)).toBe(keySlot(tag));
      }),
      { numRuns: 200 },
    );
  });

  it('should give 0 for data followed by its own CRC, big-endian (a property of XMODEM)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        const crc = crc16(data);
        expect(crc16(new Uint8Array([...data, crc >> 8, crc & 0xff]))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  /** A partition of 0..16383 into ranges of nodes a, b, c, as cut points and owners. */
  const partition = fc
    .uniqueArray(fc.integer({ min: 1, max: SLOT_COUNT - 1 }), { maxLength: 6 })
    .chain((cuts) => {
      const bounds = [0, ...cuts.sort((x, y) => x - y), SLOT_COUNT];
      return fc.tuple(...bounds.slice(1).map(() => fc.constantFrom('a:1', 'b:1', 'c:1'))).map((nodes) =>
        nodes.map((node, i): SlotRange => ({ start: bounds[i]!, end: bounds[i + 1]! - 1, node })),
      );
    });

  const expand = (ranges: readonly SlotRange[]): string[] => {
    const owners: string[] = [];
    for (const { start, end, node } of ranges) for (let slot = start; slot <= end; slot++) owners[slot] = node;
    return owners;
  };

  it('should serve every slot from the range that holds it, and list the fewest ranges', () => {
    fc.assert(
      fc.property(partition, fc.boolean(), (ranges, reversed) => {
        const table = new SlotTable(reversed ? [...ranges].reverse() : ranges);
        const owners = expand(ranges);
        expect(owners.findIndex((node, slot) => table.nodeFor(slot) !== node)).toBe(-1);
        const listed = table.ranges();
        expect(expand(listed).join()).toBe(owners.join());
        expect(listed[0]!.start).toBe(0);
        listed.slice(1).forEach((range, i) => {
          expect(range.start).toBe(listed[i]!.end + 1);
          expect(range.node).not.toBe(listed[i]!.node);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('should reject a partition with a range left out or a range added twice', () => {
    fc.assert(
      fc.property(partition, fc.nat(), fc.boolean(), (ranges, pick, twice) => {
        const i = pick % ranges.length;
        const broken = twice ? [...ranges, ranges[i]!] : ranges.filter((_, j) => j !== i);
        expect(() => new SlotTable(broken)).toThrow(RangeError);
      }),
      { numRuns: 50 },
    );
  });

  it('should agree with an array of owners after any assignments', () => {
    const slot = fc.oneof(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), fc.constantFrom(0, 1, 5460, 5461, 16382, 16383));
    fc.assert(
      fc.property(partition, fc.array(fc.tuple(slot, fc.constantFrom('a:1', 'b:1', 'd:1')), { maxLength: 10 }), (ranges, moves) => {
        const table = new SlotTable(ranges);
        const owners = expand(ranges);
        for (const [s, node] of moves) {
          table.assign(s, node);
          owners[s] = node;
        }
        expect(expand(table.ranges()).join()).toBe(owners.join());
      }),
      { numRuns: 30 },
    );
  });

  it('should give the slot of keys that share one, and a CrossSlotError for any that do not', () => {
    const key = fc.constantFrom('foo', '{foo}x', '{foo}y', 'bar', '{bar}z');
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 6 }), (keys) => {
        const slots = new Set(keys.map((k) => keySlot(k)));
        if (slots.size === 1) expect(slotOf(keys)).toBe(keySlot(keys[0]!));
        else expect(() => slotOf(keys)).toThrow(CrossSlotError);
      }),
      { numRuns: 100 },
    );
  });

  it('should group every key under its own slot, in order, and nothing else', () => {
    const key = fc.oneof(fc.constantFrom('foo', 'bar', '{foo}x', '{bar}y', 'user1000', '{user1000}z'), text);
    fc.assert(
      fc.property(fc.array(key, { maxLength: 12 }), (keys) => {
        const groups = groupBySlot(keys);
        expect([...groups.keys()]).toEqual([...new Set(keys.map(keySlot))]);
        for (const [slot, group] of groups) expect(group).toEqual(keys.filter((k) => keySlot(k) === slot));
      }),
      { numRuns: 100 },
    );
  });
});

/**
 * A Redis Cluster in memory, following the rules of the cluster specification. A node that owns
 * the slot serves the command, unless the slot is migrating and the key is not there any more:
 * then it answers ASK with the target. The target serves a command of the slot it is importing
 * only right after ASKING. Every other node answers MOVED with the owner.
 */
class FakeCluster {
  readonly owners: string[];
  readonly migrating = new Map<number, string>();
  readonly stores = new Map<string, Map<string, string>>();
  readonly sent: Sent[] = [];

  constructor(ranges: readonly SlotRange[]) {
    this.owners = [];
    for (const { start, end, node } of ranges) {
      for (let slot = start; slot <= end; slot++) this.owners[slot] = node;
      this.stores.set(node, new Map());
    }
  }

  readonly send: Send<string | null> = async (node, command, { asking }) => {
    this.sent.push({ node, command: command.join(' '), asking });
    if (this.sent.length > 1000) throw new Error('the client sent over 1000 commands: a redirection loop?');
    const [name, key, value] = command as string[];
    const store = this.stores.get(node);
    if (store === undefined || key === undefined) throw new Error(`ERR no node ${node}, or no key`);
    const slot = keySlot(key);
    const owner = this.owners[slot]!;
    const target = this.migrating.get(slot);
    if (node === owner) {
      if (target !== undefined && !store.has(key)) throw new Error(`ASK ${slot} ${target}`);
    } else if (!(asking && node === target)) {
      throw new Error(`MOVED ${slot} ${owner}`);
    }
    if (name === 'GET') return store.get(key) ?? null;
    store.set(key, value!);
    return 'OK';
  };

  /** CLUSTER SETSLOT <slot> MIGRATING / IMPORTING. */
  startMigration(slot: number, target: string): void {
    this.migrating.set(slot, target);
  }

  /** MIGRATE of one key from the owner to the target. */
  moveKey(key: string): void {
    const slot = keySlot(key);
    const target = this.migrating.get(slot)!;
    const source = this.stores.get(this.owners[slot]!)!;
    const value = source.get(key);
    if (value === undefined) return;
    this.stores.get(target)!.set(key, value);
    source.delete(key);
  }

  /** The remaining keys move, then CLUSTER SETSLOT <slot> NODE <target> on every node. */
  finishMigration(slot: number): void {
    const target = this.migrating.get(slot)!;
    const source = this.stores.get(this.owners[slot]!)!;
    for (const key of [...source.keys()].filter((k) => keySlot(k) === slot)) this.moveKey(key);
    this.owners[slot] = target;
    this.migrating.delete(slot);
  }

  /** What the client sent from `from` on. */
  sentSince(from: number): Sent[] {
    return this.sent.slice(from);
  }
}

describe('a resharding in progress, on a fake cluster', () => {
  const halves: SlotRange[] = [
    { start: 0, end: 8191, node: 'A' },
    { start: 8192, end: 16383, node: 'B' },
  ];

  it('should follow ASK while slot 12182 migrates from B to A, then MOVED once it has moved', async () => {
    const cluster = new FakeCluster(halves);
    const table = new SlotTable(halves);
    const client = new ClusterClient(table, cluster.send);
    const get = async (key: string) => {
      const from = cluster.sent.length;
      const value = await client.execute(['GET', key], [key]);
      return { value, sent: cluster.sentSince(from) };
    };

    await client.execute(['SET', 'foo', '1'], ['foo']);
    await client.execute(['SET', '{foo}:other', '2'], ['{foo}:other']);
    expect(cluster.sent.map((s) => s.node)).toEqual(['B', 'B']);

    cluster.startMigration(12182, 'A');
    cluster.moveKey('foo');

    // A key still on B: B serves it.
    expect(await get('{foo}:other')).toEqual({ value: '2', sent: [{ node: 'B', command: 'GET {foo}:other', asking: false }] });
    // A key already on A: B answers ASK, and A serves it after ASKING.
    const askOnce = [
      { node: 'B', command: 'GET foo', asking: false },
      { node: 'A', command: 'GET foo', asking: true },
    ];
    expect(await get('foo')).toEqual({ value: '1', sent: askOnce });
    // ASK is for one command only: the next one starts at B again.
    expect(await get('foo')).toEqual({ value: '1', sent: askOnce });
    expect(table.nodeFor(12182)).toBe('B');

    cluster.finishMigration(12182);

    // B now answers MOVED; the client goes to A and remembers it.
    expect(await get('{foo}:other')).toEqual({
      value: '2',
      sent: [
        { node: 'B', command: 'GET {foo}:other', asking: false },
        { node: 'A', command: 'GET {foo}:other', asking: false },
      ],
    });
    expect(await get('foo')).toEqual({ value: '1', sent: [{ node: 'A', command: 'GET foo', asking: false }] });
    expect(table.ranges()).toEqual([
      { start: 0, end: 8191, node: 'A' },
      { start: 8192, end: 12181, node: 'B' },
      { start: 12182, end: 12182, node: 'A' },
      { start: 12183, end: 16383, node: 'B' },
    ]);
  });

  it('should send ASKING with the command it retries at the importing node', async () => {
    const cluster = new FakeCluster(halves);
    const client = new ClusterClient(new SlotTable(halves), cluster.send);
    cluster.startMigration(12182, 'A');
    await expect(client.execute(['SET', 'foo', '1'], ['foo'])).resolves.toBe('OK');
    expect(cluster.sent).toEqual([
      { node: 'B', command: 'SET foo 1', asking: false },
      { node: 'A', command: 'SET foo 1', asking: true },
    ]);
    expect(cluster.stores.get('A')!.get('foo')).toBe('1');
  });

  describe('against a model', () => {
    // The model is a Map from key to value: however slots move, the cluster must read like one.
    // After each command, the client's table must name the slot's current owner (MOVED was
    // learned, ASK was not), and no command may take more than three sends.
    type Model = Map<string, string>;
    interface Real {
      readonly cluster: FakeCluster;
      readonly table: SlotTable;
      readonly client: ClusterClient<string | null>;
    }

    const run = async (real: Real, command: string[], key: string) => {
      const from = real.cluster.sent.length;
      const reply = await real.client.execute(command, [key]);
      expect(real.cluster.sentSince(from).length).toBeLessThanOrEqual(3);
      expect(real.table.nodeFor(keySlot(key))).toBe(real.cluster.owners[keySlot(key)]);
      return reply;
    };

    class SetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(
        readonly key: string,
        readonly value: string,
      ) {}
      check = () => true;
      async run(model: Model, real: Real) {
        expect(await run(real, ['SET', this.key, this.value], this.key)).toBe('OK');
        model.set(this.key, this.value);
      }
      toString = () => `set(${this.key}, ${this.value})`;
    }

    class GetCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      async run(model: Model, real: Real) {
        expect(await run(real, ['GET', this.key], this.key)).toBe(model.get(this.key) ?? null);
      }
      toString = () => `get(${this.key})`;
    }

    /** Starts migrating the key's slot to `target`, or if it is migrating, moves the key over. */
    class MigrateCommand implements fc.AsyncCommand<Model, Real> {
      constructor(
        readonly key: string,
        readonly target: string,
      ) {}
      check = () => true;
      async run(_model: Model, { cluster }: Real) {
        const slot = keySlot(this.key);
        if (cluster.migrating.has(slot)) cluster.moveKey(this.key);
        else if (cluster.owners[slot] !== this.target) cluster.startMigration(slot, this.target);
      }
      toString = () => `migrate(${this.key} to ${this.target})`;
    }

    class FinishCommand implements fc.AsyncCommand<Model, Real> {
      constructor(readonly key: string) {}
      check = () => true;
      async run(_model: Model, { cluster }: Real) {
        if (cluster.migrating.has(keySlot(this.key))) cluster.finishMigration(keySlot(this.key));
      }
      toString = () => `finish(${this.key})`;
    }

    it('should read like one Map while slots migrate between three nodes', async () => {
      const nodes: SlotRange[] = [
        { start: 0, end: 5460, node: 'A' },
        { start: 5461, end: 10922, node: 'B' },
        { start: 10923, end: 16383, node: 'C' },
      ];
      const key = fc.constantFrom('a', 'b', 'c', '{a}x', '{a}y');
      const node = fc.constantFrom('A', 'B', 'C');
      const commands = fc.commands(
        [
          fc.tuple(key, fc.constantFrom('1', '2', '3')).map(([k, v]) => new SetCommand(k, v)),
          key.map((k) => new GetCommand(k)),
          fc.tuple(key, node).map(([k, n]) => new MigrateCommand(k, n)),
          key.map((k) => new FinishCommand(k)),
        ],
        { maxCommands: 30 },
      );
      await fc.assert(
        fc.asyncProperty(commands, async (cmds) => {
          const cluster = new FakeCluster(nodes);
          const table = new SlotTable(nodes);
          const real: Real = { cluster, table, client: new ClusterClient(table, cluster.send) };
          await fc.asyncModelRun(() => ({ model: new Map<string, string>(), real }), cmds);
        }),
        { numRuns: 60 },
      );
    });
  });
});
