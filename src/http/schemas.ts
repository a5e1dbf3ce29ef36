/** Shared zod schemas of the API's resources (documented in OpenAPI under components). */
import { z } from 'zod';

export const roleSchema = z.enum(['citizen', 'agent', 'dispatcher', 'handler', 'grid_worker', 'supervisor', 'leader', 'admin']);
export const unitLevelSchema = z.enum(['city', 'district', 'street', 'community', 'grid', 'department', 'company', 'centre']);

export const actorSchema = z
  .object({
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    kind: z.enum(['staff', 'citizen']),
    role: roleSchema,
    unitId: z.string().nullable(),
    unitName: z.string().nullable(),
    unitLevel: unitLevelSchema.nullable(),
    scopePath: z.string().nullable(),
  })
  .meta({ id: 'Actor' });

export const unitSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    shortName: z.string(),
    level: unitLevelSchema,
    kind: z.string().nullable(),
    parent: z.string().nullable(),
    path: z.string(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
  })
  .meta({ id: 'Unit' });

export const urgencySchema = z.enum(['emergency', 'utility', 'general', 'complex']);
export const handlingSchema = z.enum(['territorial', 'sectoral', 'district']);
export const departmentRefSchema = z.object({ level: z.enum(['city', 'district']), abbr: z.string().min(1).max(32) });
export const coUnitRefSchema = z.object({ level: z.enum(['city', 'district', 'street']), abbr: z.string().min(1).max(32).optional() });

export const categorySchema = z
  .object({
    code: z.string(),
    parent: z.string().nullable(),
    name: z.string(),
    depth: z.number().int(),
    handling: handlingSchema,
    department: departmentRefSchema.nullable(),
    coUnits: z.array(coUnitRefSchema),
    urgency: urgencySchema,
    keywords: z.array(z.string()),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Category' });

export const paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** The filters of an order list (GET /orders, GET /orders/export): one shape, so a list exports exactly what it shows. */
const listCode = z.string().trim().min(1).max(40);
export const orderListFilters = {
  state: z.string().max(300).optional().describe('comma-separated states'),
  unit: listCode.optional(),
  category: listCode.optional(),
  district: listCode.optional(),
  street: listCode.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  dueWithinHours: z.coerce.number().min(0).max(24 * 60).optional(),
  extension: z.enum(['pending']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};
