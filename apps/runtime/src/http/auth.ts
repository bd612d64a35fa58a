import type { RequestHandler, Response } from 'express';
import type { ApiKey, ApiKeyRole } from '../apiSchemas.ts';
import type { Actor } from '../db/definitionsRepository.ts';
import type { KeysRepository } from '../db/keysRepository.ts';
import { HttpProblem } from './problem.ts';

declare global {
  namespace Express {
    interface Locals {
      /** The API key that authenticated this request (set by {@link authenticate}). */
      principal?: ApiKey;
    }
  }
}

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Requires `Authorization: Bearer <key>` naming an existing key: 401 otherwise. Known keys are held
 * in memory by the repository, which forgets them on every delete, so a deleted key stops working
 * immediately.
 */
export function authenticate(keys: KeysRepository): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    const secret = header ? bearer.exec(header)?.[1] : undefined;
    const key = secret ? keys.findBySecret(secret) : undefined;
    if (!key) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="orderloom"');
      throw new HttpProblem(
        'unauthorized',
        secret
          ? 'The API key is unknown or has been deleted.'
          : 'Send an API key as "Authorization: Bearer <key>".',
      );
    }
    res.locals.principal = key;
    next();
  };
}

/** Allows only keys with one of `roles`: 403 otherwise. Place after {@link authenticate}. */
export function requireRole(...roles: ApiKeyRole[]): RequestHandler {
  return (_req, res, next) => {
    const role = principalOf(res).role;
    if (!roles.includes(role)) {
      throw new HttpProblem(
        'forbidden',
        `This needs the role ${roles.join(' or ')}; the key has the role ${role}.`,
      );
    }
    next();
  };
}

/** The authenticated key of this request. */
export function principalOf(res: Response): ApiKey {
  const principal = res.locals.principal;
  if (!principal) throw new Error('principalOf() used on a route without authenticate()');
  return principal;
}

/** The actor recorded for writes made by this request. */
export function actorOf(res: Response): Actor {
  const { id, name } = principalOf(res);
  return { name, keyId: id };
}
