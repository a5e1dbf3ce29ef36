import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * 一网统管: the digital base (grid cells, city components), event sources (sensors and their readings, video
 * events, patrol reports, external data rows), alert models and the alarms they raise. See docs/cityops.md.
 *
 * Every row that belongs to a place carries `unit_path`, the materialised path of the deepest unit it lies in
 * (grid, community or street), so a street sees its own things with one prefix test.
 */

/** 网格: a polygon inside a community. Its id is the id of its `units` row (level `grid`); its workers are the users of that unit. */
export const gridCells = pgTable(
  'grid_cells',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    communityId: text('community_id').notNull(),
    streetId: text('street_id').notNull(),
    districtId: text('district_id').notNull(),
    /** Path of the grid's own unit: `/110000/110105/110105026/110105026001/110105026001-G01/`. */
    unitPath: text('unit_path').notNull(),
    /** GeoJSON Polygon or MultiPolygon geometry, lon/lat (WGS-84 as given). */
    geometry: jsonb('geometry').$type<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>().notNull(),
    minLng: doublePrecision('min_lng').notNull(),
    minLat: doublePrecision('min_lat').notNull(),
    maxLng: doublePrecision('max_lng').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
    centerLng: doublePrecision('center_lng').notNull(),
    centerLat: doublePrecision('center_lat').notNull(),
    /** Synthetic demo shape (bootstrap demo data), not a surveyed boundary. */
    demo: boolean('demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('grid_cells_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`),
    index('grid_cells_bbox_idx').on(t.minLng, t.maxLng, t.minLat, t.maxLat),
  ],
);

/** 城市部件 (GB/T 30428): a manhole cover, street light, hydrant, bin… as a point with its class code. */
export const cityComponents = pgTable(
  'city_components',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    /** The component's own identifier (部件标识码), unique. */
    code: text('code').notNull().unique(),
    /** GB/T 30428 class code: 2-digit major class + 2-digit subclass, e.g. `0101` 上水井盖. */
    classCode: text('class_code').notNull(),
    className: text('class_name').notNull(),
    name: text('name'),
    lng: doublePrecision('lng').notNull(),
    lat: doublePrecision('lat').notNull(),
    state: text('state').notNull().default('normal'), // normal | damaged | missing | removed
    gridId: text('grid_id'),
    /** The unit that owns and maintains the component (权属单位), e.g. a district department. */
    ownerUnitId: text('owner_unit_id'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
    demo: boolean('demo').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('city_components_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`),
    index('city_components_class_idx').on(t.classCode),
    index('city_components_grid_idx').on(t.gridId),
  ],
);

/** A sensor: one device with one or more metrics, at a place, perhaps on a component. */
export const sensors = pgTable(
  'sensors',
  {
    id: text('id').primaryKey(), // the sensorId of the MQTT topic `jiesu/sensors/{sensorId}`
    name: text('name').notNull(),
    kind: text('kind').notNull(), // e.g. water_level, manhole_tilt, air_quality, noise, gps_tracker
    metrics: jsonb('metrics').$type<string[]>().notNull().default([]),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    gridId: text('grid_id'),
    componentId: uuid('component_id'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    /** sha256 of the device key (random, 32 bytes, shown once) that may post readings over HTTP. */
    deviceKeyHash: text('device_key_hash'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sensors_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`)],
);

/**
 * Raw sensor readings, append-heavy: one index only (the primary key, which also drops a reading delivered twice
 * by QoS 1 after a restart). Lat/lng only for moving sensors (geofences).
 */
export const sensorReadings = pgTable(
  'sensor_readings',
  {
    sensorId: text('sensor_id').notNull(),
    metric: text('metric').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    value: doublePrecision('value').notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sensorId, t.metric, t.ts] })],
);

/** The latest reading of each sensor metric, with a count: what maps and indicators read instead of the raw table. */
export const sensorLatest = pgTable(
  'sensor_latest',
  {
    sensorId: text('sensor_id').notNull(),
    metric: text('metric').notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    value: doublePrecision('value').notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    readings: bigint('readings', { mode: 'number' }).notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sensorId, t.metric] })],
);

/** 视频分析事件: illegal parking, overflowing bin, street vending, smoke/fire… with a snapshot (attachment). */
export const videoEvents = pgTable(
  'video_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    cameraId: text('camera_id').notNull(),
    kind: text('kind').notNull(),
    confidence: doublePrecision('confidence'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    gridId: text('grid_id'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    snapshotId: uuid('snapshot_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    alarmId: uuid('alarm_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('video_events_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`, t.at)],
);

/** 网格员巡查上报: what a grid worker found on patrol, with photos, a point and the grid. */
export const patrolReports = pgTable(
  'patrol_reports',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    kind: text('kind').notNull(), // event kind, e.g. road_damage, illegal_parking, garbage, facility_damage, other
    description: text('description').notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    address: text('address'),
    gridId: text('grid_id'),
    componentId: uuid('component_id'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    attachmentIds: jsonb('attachment_ids').$type<string[]>().notNull().default([]),
    reporterId: uuid('reporter_id').notNull(),
    reporterName: text('reporter_name').notNull(),
    alarmId: uuid('alarm_id'),
    orderId: uuid('order_id'),
    orderNo: text('order_no'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('patrol_reports_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`, t.at), index('patrol_reports_reporter_idx').on(t.reporterId, t.at)],
);

/** Rows of external data tables, e.g. `health_certificates` (person, business, expiry), keyed within their table. */
export const externalRows = pgTable(
  'external_rows',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    tableName: text('table_name').notNull(),
    key: text('key').notNull(),
    subject: text('subject').notNull(), // e.g. the person
    holder: text('holder'), // e.g. the business
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('external_rows_key_idx').on(t.tableName, t.key), index('external_rows_expiry_idx').on(t.tableName, t.expiresAt)],
);

/** 监测预警模型: a rule an administrator defines without code (see domain/alarm/rules). */
export const alertModels = pgTable('alert_models', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** threshold | duration | repeat | rate | geofence | expiry | event */
  kind: text('kind').notNull(),
  /** sensor | video | patrol | external */
  sourceType: text('source_type').notNull(),
  /** Which sources it watches: `{ metric?, sensorKind?, sensorIds?, eventKind?, table? }`. */
  scope: jsonb('scope').$type<Record<string, unknown>>().notNull().default({}),
  /** The rule's parameters, validated per kind (`{ op, value }`, `{ op, value, minutes }`, …). */
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  /** When its alarm clears by itself: `{ minutes, value? }` (see domain/alarm/rules); null: only a person clears it. */
  recovery: jsonb('recovery').$type<{ minutes: number; value?: number }>(),
  severity: text('severity').notNull(), // critical | major | minor | warning
  /** Raise a work order automatically when an alarm opens. */
  autoDispatch: boolean('auto_dispatch').notNull().default(false),
  /** Catalogue category of the work order it becomes. */
  categoryId: text('category_id'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Per (model, source) evaluation state kept in the database, so restarts and several servers agree. */
export const alertModelStates = pgTable(
  'alert_model_states',
  {
    modelId: uuid('model_id').notNull(),
    sourceKey: text('source_key').notNull(),
    state: jsonb('state').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.sourceKey] })],
);

/** 告警: raised by a model for one source; one open alarm per model and source (repeats update it). */
export const alarms = pgTable(
  'alarms',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    no: text('no').notNull().unique(),
    modelId: uuid('model_id').notNull(),
    /** `sensor:<id>`, `video:<cameraId>`, `patrol:<reportId>`, `external:<table>:<key>`. */
    sourceKey: text('source_key').notNull(),
    sourceType: text('source_type').notNull(),
    severity: text('severity').notNull(),
    state: text('state').notNull(), // open | acknowledged | assigned | cleared
    title: text('title').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    value: doublePrecision('value'),
    count: integer('count').notNull().default(1),
    /** When the model's condition first held (for latency: `raised_at - condition_at`). */
    conditionAt: timestamp('condition_at', { withTimezone: true }).notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    gridId: text('grid_id'),
    streetId: text('street_id'),
    unitPath: text('unit_path').notNull(),
    assigneeUnitId: text('assignee_unit_id'),
    assigneeUnitPath: text('assignee_unit_path'),
    assigneeUserId: uuid('assignee_user_id'),
    orderId: uuid('order_id'),
    orderNo: text('order_no'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('alarms_open_idx').on(t.modelId, t.sourceKey).where(sql`${t.state} <> 'cleared'`),
    index('alarms_path_idx').using('btree', sql`${t.unitPath} text_pattern_ops`, t.raisedAt),
    index('alarms_state_idx').on(t.state, t.raisedAt),
  ],
);

/** The append-only history of an alarm. */
export const alarmEvents = pgTable(
  'alarm_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alarmId: uuid('alarm_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    type: text('type').notNull(), // raised | repeated | acknowledged | assigned | commented | cleared (data.auto: 自动解除) | ordered | auto_order_failed
    fromState: text('from_state'),
    toState: text('to_state'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('alarm_events_alarm_idx').on(t.alarmId, t.id)],
);

/** Alarm numbers (告警编号 AL…). */
export const alarmNoSeq = pgSequence('alarm_no_seq', { startWith: 1 });
