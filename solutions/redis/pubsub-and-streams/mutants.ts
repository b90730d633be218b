import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: "compares stream ids as strings: '10-0' sorts before '9-0'",
    find: `  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;`,
    replace: `  return a < b ? -1 : a > b ? 1 : 0;`,
  },
  {
    name: "compares stream ids as decimal numbers ms.seq: '5-10' sorts before '5-9'",
    find: `  const [aMs, aSeq] = parseStreamId(a);
  const [bMs, bSeq] = parseStreamId(b);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;`,
    replace: `  parseStreamId(a);
  parseStreamId(b);
  return Math.sign(Number(a.replace('-', '.')) - Number(b.replace('-', '.')));`,
  },
  {
    name: 'subscribes on the shared client, which then refuses every other command',
    find: `    const subscriber = await this.#connectSubscriber();`,
    replace: `    const subscriber = this.#publisher;`,
  },
  {
    name: "range starts at the id itself, not after it: each page repeats the last entry of the one before",
    find: "const start = after === undefined ? '-' : `(${requireId('after', after)}`;",
    replace: "const start = after === undefined ? '-' : requireId('after', after);",
  },
  {
    name: 'range pages one entry too long (COUNT count + 1)',
    find: `return (await this.#redis.xrange(stream, start, '+', 'COUNT', count)).map(toEntry);`,
    replace: `return (await this.#redis.xrange(stream, start, '+', 'COUNT', count + 1)).map(toEntry);`,
  },
  {
    name: 'append ignores exact: MAXLEN ~ leaves more entries than asked',
    find: `exact ? '=' : '~'`,
    replace: `'~'`,
  },
  {
    name: 'append always trims exactly (MAXLEN =), the expensive way',
    find: `exact ? '=' : '~'`,
    replace: `'='`,
  },
  {
    name: "the consumer reads from '0-0' on every poll, so it replays everything every time",
    find: `const entries = await this.#feed.readAfter(this.#stream, after, { count: this.#count });`,
    replace: `const entries = await this.#feed.readAfter(this.#stream, '0-0', { count: this.#count });`,
  },
  {
    name: "an 'end' consumer jumps to the newest entry on every poll (like XREAD $) and misses what arrived while it was down",
    find: `    if (saved !== undefined) return saved;
    if (this.#startAt === 'start') return '0-0';`,
    replace: `    if (this.#startAt === 'start') return saved ?? '0-0';`,
  },
  {
    name: "an 'end' consumer does not save where it starts, so a restart before its first event skips ahead",
    find: `    await this.#redis.hset(this.#offsets, this.#name, start);
    return start;`,
    replace: `    return start;`,
  },
  {
    name: 'the consumer saves its offset before handling the entry: at-most-once, a failure loses it',
    find: `      await handle(entry);
      // After the work, never before: a crash in between repeats this entry rather than losing it.
      await this.#redis.hset(this.#offsets, this.#name, entry.id);`,
    replace: `      await this.#redis.hset(this.#offsets, this.#name, entry.id);
      await handle(entry);`,
  },
  {
    name: "read asks for '0' instead of '>': the consumer's own pending entries, never new ones",
    find: `return this.#readGroup(consumer, count, '>');`,
    replace: `return this.#readGroup(consumer, count, '0');`,
  },
  {
    name: 'ack forgets XACK: the pending list only grows',
    find: `return this.#redis.xack(this.#stream, this.#group, ...ids);`,
    replace: `return ids.length;`,
  },
  {
    name: 'claimStuck ignores minIdleMs and takes entries their consumer is still working on',
    find: `consumer, minIdleMs, cursor, 'COUNT'`,
    replace: `consumer, 0, cursor, 'COUNT'`,
  },
  {
    name: 'create throws BUSYGROUP when the group exists, instead of going on',
    find: `      if (err instanceof Error && err.message.startsWith('BUSYGROUP')) return false;
`,
    replace: ``,
  },
  {
    name: 'recover leaves trimmed entries pending for ever',
    find: `    if (gone.length > 0) await this.ack(gone);
`,
    replace: ``,
  },
]);
