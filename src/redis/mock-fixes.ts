/**
 * Where ioredis-mock and Redis disagree on something a kata relies on, the mock clients of
 * `connectRedis` are made to agree. A real server's client is never touched.
 *
 * - Streams: see mock-streams.ts (and mock-consumer-groups.ts for XGROUP, XREADGROUP, XACK…).
 * - WATCH: the mock remembers watched keys without the client's key prefix but hears of
 *   changes to prefixed keys, so with a prefix (every test client has one) no change ever
 *   aborts an EXEC. And a successful EXEC leaves the keys watched, so the next transaction on
 *   the connection aborts for nothing. Redis prefixes WATCH's keys like any others, and
 *   forgets them at every EXEC, DISCARD or UNWATCH.
 * - ZADD GT and LT: the mock does not know them, and without an error it takes `GT` for a
 *   score and adds a member named after the next flag. A ZADD with either flag runs here as a
 *   script with Redis's semantics (flags NX, XX, GT, LT, CH and INCR, and their errors).
 * - `duplicate()` returns a new mock sharing the data: it gets the same fixes.
 * - Every mock listens for changes to keys on an emitter that all mocks share, and keeps
 *   listening after `disconnect()` or `quit()`: a test making many connections would leak them
 *   and trip Node's warning about listener leaks. A closed mock stops listening.
 */
import type { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { emulateStreams } from './mock-streams.ts';

/** The parts of a mock client the fixes reach into (not part of the ioredis API). */
interface MockInternals {
  watching: Set<string>;
  dirty: boolean;
  _signalModifiedKey?: (key: string) => void;
  context?: { modifiedKeyEvents?: EventEmitter };
}

const ZADD_FLAGS = ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'] as const;

// ARGV: the six flags as '1' or '0' in ZADD_FLAGS order, then score, member pairs.
const ZADD_SCRIPT = `
local function parse(text)
  local lower = string.lower(text)
  if lower == 'inf' or lower == '+inf' then return math.huge end
  if lower == '-inf' then return -math.huge end
  return tonumber(text)
end
local function format(n)
  if n == math.huge then return 'inf' end
  if n == -math.huge then return '-inf' end
  if n == math.floor(n) and math.abs(n) < 2^53 then return string.format('%d', n) end
  return string.format('%.17g', n)
end
local nx, xx, gt, lt, ch, incr = ARGV[1] == '1', ARGV[2] == '1', ARGV[3] == '1', ARGV[4] == '1', ARGV[5] == '1', ARGV[6] == '1'
local pairs = {}
for i = 7, #ARGV, 2 do
  table.insert(pairs, { parse(ARGV[i]), ARGV[i + 1] })
end
local added, changed, last = 0, 0, false
for _, pair in ipairs(pairs) do
  local old = redis.call('ZSCORE', KEYS[1], pair[2])
  local new = pair[1]
  if old then old = parse(old) end
  if incr and old then new = old + pair[1] end
  local apply
  if not old then apply = not xx else apply = not nx and (not gt or new > old) and (not lt or new < old) end
  if apply then
    redis.call('ZADD', KEYS[1], format(new), pair[2])
    if not old then added = added + 1 elseif new ~= old then changed = changed + 1 end
    last = format(new)
  else
    last = false
  end
end
if incr then return last end
if ch then return added + changed end
return added
`;

/** ZADD with GT or LT, as Redis runs it; `undefined` when the call has neither flag. */
function zaddWithFlags(client: Redis, args: readonly unknown[]): Promise<unknown> | undefined {
  const [key, ...rest] = args.flat().map(String);
  const flags = new Set<string>();
  while (rest.length > 0 && (ZADD_FLAGS as readonly string[]).includes(rest[0]!.toUpperCase())) flags.add(rest.shift()!.toUpperCase());
  if (!flags.has('GT') && !flags.has('LT')) return undefined;
  const fail = (message: string) => Promise.reject(new Error(message));
  if (flags.has('NX') && flags.has('XX')) return fail('ERR XX and NX options at the same time are not compatible');
  if ((flags.has('GT') && flags.has('LT')) || flags.has('NX')) return fail('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (rest.length === 0 || rest.length % 2 !== 0) return fail('ERR syntax error');
  if (flags.has('INCR') && rest.length !== 2) return fail('ERR INCR option supports a single increment-element pair');
  for (let i = 0; i < rest.length; i += 2) {
    const score = rest[i]!;
    if (!/^[+-]?inf$/i.test(score) && (score.trim() !== score || score === '' || Number.isNaN(Number(score)))) return fail('ERR value is not a valid float');
  }
  const on = ZADD_FLAGS.map((flag) => (flags.has(flag) ? '1' : '0'));
  // The mock's Lua hands a nil back as false: INCR that changed nothing answers null in Redis.
  return client.eval(ZADD_SCRIPT, 1, key!, ...on, ...rest).then((reply) => (reply === false ? null : reply));
}

/** Connections one test may hold open at once before Node warns of a leak. */
const MAX_OPEN_MOCKS = 100;

export function fixMock(client: Redis): Redis {
  emulateStreams(client);
  const internals = client as unknown as MockInternals & Record<string, unknown>;
  if (!(internals.watching instanceof Set)) return client;
  const prefix = client.options.keyPrefix ?? '';

  const watch = client.watch.bind(client) as (...keys: string[]) => Promise<'OK'>;
  internals['watch'] = (...keys: unknown[]) => watch(...keys.flat().map((key) => `${prefix}${String(key)}`));

  const forget = () => {
    internals.watching.clear();
    internals.dirty = false;
  };
  const multi = client.multi.bind(client) as (...args: unknown[]) => ReturnType<Redis['multi']>;
  internals['multi'] = (...args: unknown[]) => {
    const transaction = multi(...args);
    const exec = transaction.exec.bind(transaction);
    const discard = transaction.discard?.bind(transaction);
    Object.assign(transaction, {
      exec: (...execArgs: Parameters<typeof exec>) => exec(...execArgs).finally(forget),
      ...(discard ? { discard: (...discardArgs: Parameters<typeof discard>) => { forget(); return discard(...discardArgs); } } : {}),
    });
    return transaction;
  };

  const zadd = (client.zadd as (...args: unknown[]) => Promise<unknown>).bind(client);
  internals['zadd'] = (...args: unknown[]) => zaddWithFlags(client, args) ?? zadd(...args);

  const events = internals.context?.modifiedKeyEvents;
  const listener = internals._signalModifiedKey;
  if (events !== undefined && listener !== undefined) {
    events.setMaxListeners(Math.max(events.getMaxListeners(), MAX_OPEN_MOCKS));
    for (const name of ['disconnect', 'quit'] as const) {
      const close = (client[name] as (...args: unknown[]) => unknown).bind(client);
      internals[name] = (...args: unknown[]) => {
        events.off('modified', listener);
        return close(...args);
      };
    }
  }

  const duplicate = client.duplicate.bind(client);
  internals['duplicate'] = (...args: Parameters<typeof duplicate>) => fixMock(duplicate(...args));
  return client;
}
