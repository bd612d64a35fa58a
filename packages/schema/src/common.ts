import { z } from 'zod';

/** Identifier of a definition or of a node inside one: URL-safe, 1–64 characters. */
export const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'use 1–64 letters, digits, "_", "-" or "." (starting with a letter or digit)',
  );

/** A CEL (Common Expression Language) expression, compiled once per published version. */
export const celSchema = z.string().min(1, 'expression is empty').describe('CEL expression');

/** An ISO 8601 date-time with offset, e.g. `2026-11-10T00:00:00+08:00`. */
export const dateTimeSchema = z.iso.datetime({ offset: true });

/** Fields every definition carries, whatever its kind. */
export const definitionBase = {
  id: idSchema,
  name: z.string().min(1).max(200),
  description: z.string().max(4000).default(''),
  schemaVersion: z.literal(1),
};

/** The canvas position of a node, kept in the definition so layouts survive round trips. */
export const positionSchema = z.object({ x: z.number(), y: z.number() });
