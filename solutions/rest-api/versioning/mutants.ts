import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'the version in the media type is ignored: without a URL version, the default always answers',
    find: 'const chosen = ranges === undefined ? defaultVersion : negotiate(ranges, names, defaultVersion);',
    replace: 'const chosen = defaultVersion;',
  },
  {
    name: 'Deprecation and Sunset go on every version, v2 included',
    find: `    const policy = policies.get(version);
    for (const [name, value] of policy?.headers ?? []) out.headers.append(name, value);`,
    replace: `    const policy = policies.get(version) ?? [...policies.values()][0];
    for (const [name, value] of policy?.headers ?? []) out.headers.append(name, value);`,
  },
  {
    name: 'a media type naming an unknown version answers 404 instead of 406',
    find: "return decorate(problem(406, { detail: `There is no API version ${unknown}; use one of ${names.join(', ')}.`, extensions: available }), undefined);",
    replace: "return decorate(problem(404, { detail: `There is no API version ${unknown}; use one of ${names.join(', ')}.`, extensions: available }), undefined);",
  },
  {
    name: 'no Vary: Accept, so a cache serves one version to clients that asked for another',
    find: `    appendVary(out.headers, 'Accept');
`,
    replace: '',
  },
  {
    name: 'the adapter renames the wrong field: seats_available from the seats in the car',
    find: 'seats_available: trip.seats.available,',
    replace: 'seats_available: trip.seats.total,',
  },
  {
    name: 'the v1 date is the UTC day, not the day of departure at the origin',
    find: 'date: trip.departs_at.slice(0, 10),',
    replace: 'date: new Date(trip.departs_at).toISOString().slice(0, 10),',
  },
  {
    name: 'Deprecation in milliseconds, not seconds since the epoch',
    find: "[['deprecation', `@${Math.floor(deprecation.getTime() / 1000)}`]]",
    replace: "[['deprecation', `@${deprecation.getTime()}`]]",
  },
]);
