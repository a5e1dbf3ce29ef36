/** Start the MQTT sensor subscriber as the configuration says: on, off, or `auto` (on if the broker answers). */
import net from 'node:net';
import type { Config } from '../../config.js';
import type { Db } from '../../store/db.js';
import { dispatchAutoAlarms } from './alarmToOrder.js';
import { SensorSubscriber } from './sensorSubscriber.js';

/** Whether a TCP connection to the broker's host:port opens within `ms`. */
export function brokerReachable(url: string, ms = 1000): Promise<boolean> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'mqtts:' ? 8883 : 1883));
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(ms, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Returns a stop function (graceful: writes and acknowledges what arrived), or null when ingest is off. */
export async function startSensorIngest(args: { config: Config; db: Db; log: (msg: string, err?: unknown) => void; info: (msg: string) => void }): Promise<(() => Promise<void>) | null> {
  const m = args.config.mqtt;
  if (!m) {
    args.info('MQTT 传感器接入已关闭 (MQTT_URL=off or tests)');
    return null;
  }
  if (m.auto && !(await brokerReachable(m.url))) {
    args.info(`MQTT 传感器接入未启动：代理 ${m.url} 无法连接（设置 MQTT_URL 指向代理，或 MQTT_URL=off 关闭此提示）`);
    return null;
  }
  const sub = new SensorSubscriber({
    db: args.db,
    url: m.url,
    clientId: m.clientId,
    shareGroup: m.shareGroup,
    log: args.log,
    onBatch: async (res) => {
      const raised = res.alarms.filter((a) => a.raised).map((a) => a.id);
      if (raised.length) await dispatchAutoAlarms({ db: args.db, now: new Date(), alarmIds: raised });
    },
  });
  await sub.start();
  const topic = m.shareGroup ? `$share/${m.shareGroup}/jiesu/sensors/+（共享订阅，组内各服务器分担）` : 'jiesu/sensors/+';
  args.info(`MQTT 传感器接入已启动：${m.url} 主题 ${topic}（QoS 1，客户端 ${m.clientId}，接收与解析在独立线程）`);
  return () => sub.stop();
}
