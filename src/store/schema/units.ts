import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every unit of the one organization tree: places (city → district → street → community → grid) and
 * handling units that are not places (departments, companies, the hotline centre). `path` is the
 * materialised path of codes (`/110000/110105/110105026/`) that jurisdiction checks walk. */
export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(), // the official division code, or `<parent>-<ABBR>` for departments/companies
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    level: text('level').notNull(), // UnitLevel
    kind: text('kind'), // 街道 / 乡镇 / 地区 for streets; service (water, power…) for companies; abbr for departments
    parentId: text('parent_id'),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('units_parent_idx').on(t.parentId),
    index('units_level_idx').on(t.level),
    index('units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
  ],
);

/** The dispatch catalogue (派单目录): a tree of request categories with their handling rule. */
export const categories = pgTable(
  'categories',
  {
    id: text('id').primaryKey(), // stable code: 'CX', 'CX.03', 'CX.03.02'
    parentId: text('parent_id'),
    name: text('name').notNull(),
    depth: integer('depth').notNull(),
    handling: text('handling').notNull(), // territorial | sectoral | district
    department: jsonb('department').$type<{ level: 'city' | 'district'; abbr: string } | null>(),
    coUnits: jsonb('co_units').$type<{ level: 'city' | 'district' | 'street'; abbr?: string }[]>().notNull().default([]),
    urgency: text('urgency').notNull(), // emergency | utility | general | complex
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);
