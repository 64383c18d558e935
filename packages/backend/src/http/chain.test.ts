import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { chain } from './chain.js';

const req = {} as Request;
const res = {} as Response;

function run(handler: RequestHandler): Promise<unknown> {
  return new Promise((resolve) => handler(req, res, ((err?: unknown) => resolve(err ?? 'passed')) as NextFunction));
}

describe('chain', () => {
  it('runs the middlewares in order and then passes on', async () => {
    const seen: string[] = [];
    const mw =
      (name: string): RequestHandler =>
      (_q, _s, next) => {
        seen.push(name);
        next();
      };
    expect(await run(chain([mw('a'), mw('b'), mw('c')]))).toBe('passed');
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('stops at an error passed to next, thrown, or rejected, and hands it on', async () => {
    const seen: string[] = [];
    const after: RequestHandler = (_q, _s, next) => {
      seen.push('after');
      next();
    };
    const boom = new Error('boom');
    expect(await run(chain([(_q, _s, next) => next(boom), after]))).toBe(boom);
    expect(
      await run(
        chain([
          () => {
            throw boom;
          },
          after,
        ]),
      ),
    ).toBe(boom);
    expect(
      await run(
        chain([
          async () => {
            await Promise.resolve();
            throw boom;
          },
          after,
        ]),
      ),
    ).toBe(boom);
    expect(seen).toEqual([]);
  });

  it('lets a middleware end the response without calling next', async () => {
    let ended = false;
    const handler = chain([
      (_q, _s) => {
        ended = true;
      },
      () => {
        throw new Error('not reached');
      },
    ]);
    handler(req, res, () => {
      throw new Error('next must not be called');
    });
    await Promise.resolve();
    expect(ended).toBe(true);
  });
});
