/**
 * Configuration, read once at start from the environment into one typed, validated object.
 * Nothing else in the code base reads `process.env`. Every variable is documented in README.md.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  JIESU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Seed demo accounts and demo orders. Never honoured when NODE_ENV=production. */
  JIESU_DEMO: boolish.optional(),
  JIESU_TOKEN_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  JIESU_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  JIESU_LOCKOUT_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  JIESU_TEDDY_DIR: z.string().min(1).default('../shared/data/teddy2020'),
  /** Below this confidence a proposal goes to the dispatch centre's review queue instead of straight out. */
  JIESU_DISPATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  JIESU_MODEL_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Sensor ingest over MQTT (一网统管): `mqtt://host:port`, or `off`. Unset: try mqtt://127.0.0.1:1883 at start (not in tests). */
  MQTT_URL: z.union([z.literal('off'), z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'must be off, or start with mqtt:// or mqtts://')]).optional(),
  /** The subscriber's fixed client id (its persistent session on the broker); one per server. */
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only, at most 64').optional(),
  /** MQTT 5 shared subscription group: servers with the same group split the sensor stream instead of each taking all of it. */
  MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only, at most 64').optional(),
  JIESU_WEBHOOK_ALLOW_PRIVATE: boolish
    .default(false)
    .describe('Let webhook URLs reach loopback, private (RFC 1918), CGNAT, link-local, unique-local or multicast addresses. Default false: such targets are refused when a subscription is saved and again at each delivery (SSRF). Only for tests and closed lab networks.'),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  tokenTtlMs: number;
  lockout: { attempts: number; minutes: number };
  teddyDir: string;
  dispatchThreshold: number;
  modelFile: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /**
   * Sensor readings over MQTT (topic `jiesu/sensors/{sensorId}`, QoS 1, persistent session); null when off.
   * `auto`: MQTT_URL was not set, so start it only if the broker answers (else one clear log line).
   * `shareGroup`: MQTT_SHARE_GROUP, subscribe as `$share/{group}/jiesu/sensors/+` (null: every server takes every reading).
   */
  mqtt: { url: string; clientId: string; auto: boolean; shareGroup: string | null } | null;
  /** allowPrivateTargets: JIESU_WEBHOOK_ALLOW_PRIVATE (false: webhooks may not point into the platform's network). */
  webhooks: { allowPrivateTargets: boolean };
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse an environment (normally `process.env`) into a Config; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.JIESU_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demo: production ? false : (e.JIESU_DEMO ?? true),
    tokenTtlMs: e.JIESU_TOKEN_TTL_HOURS * 3600_000,
    lockout: { attempts: e.JIESU_LOCKOUT_ATTEMPTS, minutes: e.JIESU_LOCKOUT_MINUTES },
    teddyDir: path.resolve(e.JIESU_TEDDY_DIR),
    dispatchThreshold: e.JIESU_DISPATCH_THRESHOLD,
    modelFile: e.JIESU_MODEL_FILE ? path.resolve(e.JIESU_MODEL_FILE) : undefined,
    logLevel: e.LOG_LEVEL,
    mqtt: mqttOf(e),
    webhooks: { allowPrivateTargets: e.JIESU_WEBHOOK_ALLOW_PRIVATE },
  };
}

/** MQTT ingest: explicit URL → on; `off` → off; unset → auto on a local broker, but never in tests. */
function mqttOf(e: z.infer<typeof envSchema>): Config['mqtt'] {
  if (e.MQTT_URL === 'off') return null;
  if (!e.MQTT_URL && e.NODE_ENV === 'test') return null;
  const url = e.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  // Fixed per server: the broker keeps this client's session (and the readings queued for it) across restarts.
  const clientId = e.MQTT_CLIENT_ID ?? `jiesu-ingest-${os.hostname().replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 32)}-${e.PORT}`;
  return { url, clientId, auto: !e.MQTT_URL, shareGroup: e.MQTT_SHARE_GROUP ?? null };
}
