import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'check-then-act join: reads the seats, then writes them back',
    find: `    const seatsLeft = await store.takeSeat(id);
    if (seatsLeft !== undefined) return json(200, { trip_id: id, seats_available: seatsLeft });`,
    replace: `    const trip = await store.get(id);
    if (trip !== undefined && trip.seats_available > 0) {
      await store.update({ ...trip, seats_available: trip.seats_available - 1 });
      return json(200, { trip_id: id, seats_available: trip.seats_available - 1 });
    }`,
  },
  {
    name: 'a full trip answers 400 "No seats available", as the source did',
    find: `return problem(409, 'The trip has no seats left.');`,
    replace: `return problem(400, 'No seats available');`,
  },
  {
    name: 'dates checked with Date.parse, which rolls 2026-02-30 over to March 2',
    find: `  const match = /^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);`,
    replace: `  return /^\\d{4}-\\d{2}-\\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));`,
  },
  {
    name: 'the list includes trips with no seat left',
    find: `        trip.seats_available > 0 &&
`,
    replace: '',
  },
  {
    name: 'validation stops at the first invalid field',
    find: `    .filter((field) => values[field] === undefined)`,
    replace: `    .filter((field) => values[field] === undefined)
    .slice(0, 1)`,
  },
  {
    name: 'a 405 without an Allow header',
    find: `return problem(405, \`\${req.method} is not allowed here; use \${allow}.\`, {}, { allow });`,
    replace: `return problem(405, \`\${req.method} is not allowed here; use \${allow}.\`);`,
  },
  {
    name: 'an id that is not valid percent-encoding escapes as an exception (a 500)',
    find: `  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    // Malformed percent-encoding names no trip.
    return undefined;
  }`,
    replace: `  const id = decodeURIComponent(rawId);`,
  },
]);
