import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'binary search returns the predecessor (the point before the key) instead of the successor',
    find: `    return low === points.length ? 0 : low;`,
    replace: `    return low === 0 ? points.length - 1 : low - 1;`,
  },
  {
    name: 'no wrap-around: a key past the last point goes to the last point',
    find: `    return low === points.length ? 0 : low;`,
    replace: `    return Math.min(low, points.length - 1);`,
  },
  {
    name: 'nodesFor counts points, not physical nodes, and repeats a node',
    find: `    const found = new Set<string>();
    if (wanted === 0) return [];
    const points = this.#points;
    // Every node has a point, so one lap at most finds \`wanted\` of them.
    for (let i = this.#successor(this.#hash(key)); found.size < wanted; i = (i + 1) % points.length) {
      found.add(points[i]!.node);
    }
    return [...found];`,
    replace: `    const found: string[] = [];
    if (wanted === 0) return [];
    const points = this.#points;
    for (let i = this.#successor(this.#hash(key)); found.length < wanted; i = (i + 1) % points.length) {
      found.push(points[i]!.node);
    }
    return found;`,
  },
  {
    name: 'every virtual node hashes the same label (no #i), so a node sits at one spot',
    find: 'position: this.#hash(`${node}#${i}`), node',
    replace: 'position: this.#hash(`${node}`), node',
  },
  {
    name: 'removeNode forgets the name but leaves its points on the ring',
    find: `    if (!this.#nodes.delete(node)) return false;
    this.#points = this.#points.filter((point) => point.node !== node);
    return true;`,
    replace: `    return this.#nodes.delete(node);`,
  },
  {
    name: 'ties between equal positions follow the order nodes joined in',
    find: `const clockwise = (a: Point, b: Point): number => a.position - b.position || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);`,
    replace: `const clockwise = (a: Point, b: Point): number => a.position - b.position;`,
  },
  {
    name: 'jumpHash scales by 2^32 instead of 2^31',
    find: `j = Math.floor((b + 1) * (2 ** 31 / Number((key >> 33n) + 1n)));`,
    replace: `j = Math.floor((b + 1) * (2 ** 32 / Number((key >> 33n) + 1n)));`,
  },
]);
