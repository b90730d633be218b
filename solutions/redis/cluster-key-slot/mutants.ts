import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the slot is the CRC modulo 16383 instead of its low 14 bits',
    find: 'return crc16(hashedPart(toBytes(key))) & SLOT_MASK;',
    replace: 'return crc16(hashedPart(toBytes(key))) % (SLOT_COUNT - 1);',
  },
  {
    name: 'the slot mask is 0x3FFE, off by one bit',
    find: 'const SLOT_MASK = SLOT_COUNT - 1;',
    replace: 'const SLOT_MASK = SLOT_COUNT - 2;',
  },
  {
    name: 'the CRC starts at 0xFFFF (CRC-16/CCITT-FALSE) instead of 0',
    find: '  let crc = 0;\n  for (const byte of data) {',
    replace: '  let crc = 0xffff;\n  for (const byte of data) {',
  },
  {
    name: 'the CRC is shifted right, LSB first, as the reflected variants (KERMIT) do',
    find: 'crc = ((crc << 8) ^ CRC_TABLE[(crc >>> 8) ^ byte]!) & 0xffff;',
    replace: 'crc = ((crc >>> 8) ^ CRC_TABLE[(crc ^ byte) & 0xff]!) & 0xffff;',
  },
  {
    name: 'the CRC is not kept to 16 bits',
    find: 'crc = ((crc << 8) ^ CRC_TABLE[(crc >>> 8) ^ byte]!) & 0xffff;',
    replace: 'crc = (crc << 8) ^ CRC_TABLE[(crc >>> 8) & 0xff ^ byte]!;',
  },
  {
    name: 'the tag ends at the last } instead of the first one after the {',
    find: 'const close = key.indexOf(CLOSE_BRACE, open + 1);',
    replace: 'const close = key.lastIndexOf(CLOSE_BRACE);',
  },
  {
    name: 'an empty tag {} is taken as a tag',
    find: 'if (close === -1 || close === open + 1) return key;',
    replace: 'if (close === -1) return key;',
  },
  {
    name: 'a string key is hashed one byte per UTF-16 code unit (latin1) instead of as UTF-8',
    find: "if (typeof key === 'string') return utf8.encode(key);",
    replace: "if (typeof key === 'string') return Buffer.from(key, 'latin1');",
  },
  {
    name: 'slotOf checks only the first two keys',
    find: 'for (const key of rest) {',
    replace: 'for (const key of rest.slice(0, 1)) {',
  },
  {
    name: 'a slot table with a slot missing at the end is accepted',
    find: 'const missing = owners.indexOf(undefined);',
    replace: 'const missing = owners.slice(0, -1).indexOf(undefined);',
  },
  {
    name: 'an overlapping range silently takes the slot over',
    find: 'if (owner !== undefined) throw new RangeError',
    replace: 'if (owner === range.node) throw new RangeError',
  },
  {
    name: 'ASK updates the slot table, as MOVED does',
    find: "if (redirection.kind === 'MOVED') this.#table.assign(redirection.slot, redirection.node);",
    replace: 'this.#table.assign(redirection.slot, redirection.node);',
  },
  {
    name: 'MOVED does not update the slot table',
    find: "if (redirection.kind === 'MOVED') this.#table.assign(redirection.slot, redirection.node);",
    replace: '',
  },
  {
    name: 'the retry after ASK is sent without ASKING',
    find: "asking = redirection.kind === 'ASK';",
    replace: 'asking = false;',
  },
  {
    name: 'ASKING sticks to every later attempt of the command',
    find: "asking = redirection.kind === 'ASK';",
    replace: "asking ||= redirection.kind === 'ASK';",
  },
  {
    name: 'the bound lets one redirection too many through',
    find: 'if (redirections === this.#maxRedirections) {',
    replace: 'if (redirections > this.#maxRedirections) {',
  },
  {
    name: 'a redirection is recognised anywhere in the message',
    find: 'const match = /^(MOVED|ASK) (\\d{1,5}) (\\S+)$/.exec(message);',
    replace: 'const match = /(MOVED|ASK) (\\d{1,5}) (\\S+)/i.exec(message);',
  },
]);
