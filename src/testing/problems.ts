/** The assertion every REST kata's tests make of an error answer. */
import { expect } from 'vitest';
import { STATUS_TITLES } from '../http/problem.ts';

/** An RFC 9457 problem as the REST katas answer one: these members, and any a kata adds. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/**
 * Asserts that `res` is an `application/problem+json` answer with `status`, whose body has
 * `type` about:blank, the status's standard title, a detail, and `members` when given.
 * Returns the body, typed as `Body` for a kata whose problems carry more members.
 */
export async function expectProblem<Body extends ProblemBody = ProblemBody>(res: Response, status: number, members: Record<string, unknown> = {}): Promise<Body> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Body;
  expect(body).toMatchObject({ type: 'about:blank', title: STATUS_TITLES[status], status, detail: expect.any(String), ...members });
  return body;
}
