import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'error replies are written at once, ahead of the replies still batched',
    find: `      } catch (err: unknown) {
        // A bug in one command must not take the server down: the client sees it as an error.
        reply = { type: 'error', value: err instanceof CommandError ? err.message : \`ERR internal error: \${String(err)}\`.replace(/[\\r\\n]/g, ' ') };
      }`,
    replace: `      } catch (err: unknown) {
        socket.write(encode({ type: 'error', value: err instanceof CommandError ? err.message : 'ERR internal error' }, session.protocol));
        continue;
      }`,
  },
  {
    name: 'each read gets a fresh parser: a command cut across reads is lost',
    find: 'requests = parser.push(chunk);',
    replace: "requests = new RespParser({ mode: 'requests' }).push(chunk);",
  },
  {
    name: 'an expired key is still returned (no lazy expiry)',
    find: `    if (expiresAt !== undefined && expiresAt < this.clock.now()) {
      this.delete(key);
      return undefined;
    }`,
    replace: '',
  },
  {
    name: 'SET NX overwrites an existing key',
    find: 'if ((nx && exists) || (xx && !exists))',
    replace: 'if (xx && !exists)',
  },
  {
    name: 'a key of another type is treated as missing instead of WRONGTYPE',
    find: 'if (entry !== undefined && entry.type !== type) throw new CommandError(WRONGTYPE);',
    replace: 'if (entry !== undefined && entry.type !== type) return undefined;',
  },
  {
    name: 'INCR reads the value with parseInt: a non-integer is no error',
    find: 'const current = entry === undefined ? 0n : parseInteger(entry.value);',
    replace: 'const current = entry === undefined ? 0n : BigInt(parseInt(latin1(entry.value), 10) || 0);',
  },
  {
    name: 'a plain SET keeps the TTL of the value it replaces',
    find: '    if (!keepTtl) this.#expires.delete(key);\n',
    replace: '',
  },
]);
