import { z } from 'zod';
import { dateTimeSchema, idSchema } from './common.ts';
import { warehouseTiers } from './routingDefinition.ts';

/** A warehouse as pushed by the WMS/ERP: capacity, load, age and stock per SKU. */
export const warehouseFactSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1),
  tier: z.enum(warehouseTiers),
  region: z.string().min(1),
  city: z.string().optional(),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  capacityPerDay: z.number().int().min(0),
  load: z.number().int().min(0),
  ageDays: z.number().min(0),
  stock: z.record(z.string(), z.number().int().min(0)).default({}),
});

/** A carrier lane from one warehouse to one or more destination regions. */
export const laneFactSchema = z
  .strictObject({
    id: idSchema,
    carrier: z.string().min(1),
    mode: z.enum(['ground', 'air', 'rail', 'sea', 'cold-chain']),
    origin: idSchema.describe('warehouse id'),
    destinations: z.array(z.string().min(1)).min(1),
    costPerKg: z.number().min(0).optional(),
    costPerParcel: z.number().min(0).optional(),
    etaHours: z.number().positive(),
    co2PerKg: z.number().min(0),
    saturation: z.number().min(0).max(1),
  })
  .refine((l) => l.costPerKg !== undefined || l.costPerParcel !== undefined, {
    message: 'a lane needs costPerKg and/or costPerParcel',
    path: ['costPerKg'],
  });

/** A weather or disruption alert; it applies only inside its validity window. */
export const alertFactSchema = z
  .strictObject({
    id: idSchema,
    kind: z.string().min(1),
    title: z.string().default(''),
    regions: z.array(z.string().min(1)).min(1),
    modes: z.array(z.enum(['ground', 'air', 'rail', 'sea', 'cold-chain'])).min(1),
    impact: z.number().min(0).max(1).describe('reliability multiplier, e.g. 0.63'),
    validFrom: dateTimeSchema,
    validTo: dateTimeSchema,
    source: z.string().optional(),
  })
  .refine((a) => Date.parse(a.validFrom) < Date.parse(a.validTo), {
    message: 'validTo must be after validFrom',
    path: ['validTo'],
  });

/** An order as the OMS submits it for routing. */
export const orderSchema = z.strictObject({
  id: z.string().min(1).max(128),
  channel: z.string().min(1),
  customer: z.strictObject({
    id: z.string().min(1),
    tier: z.string().min(1),
    ltv: z.number().min(0).default(0),
  }),
  destination: z.strictObject({
    region: z.string().min(1),
    city: z.string().optional(),
    lat: z.number().optional(),
    lon: z.number().optional(),
  }),
  lines: z
    .array(
      z.strictObject({
        sku: z.string().min(1),
        qty: z.number().int().positive(),
        weightKg: z.number().positive().optional(),
      }),
    )
    .min(1),
  promisedHours: z.number().positive().optional(),
  value: z.number().min(0).optional(),
  placedAt: dateTimeSchema.optional(),
});

export type WarehouseFact = z.infer<typeof warehouseFactSchema>;
export type LaneFact = z.infer<typeof laneFactSchema>;
export type AlertFact = z.infer<typeof alertFactSchema>;
export type Order = z.infer<typeof orderSchema>;
