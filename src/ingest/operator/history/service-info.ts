import type { Config } from '../../../config/schema';

/** GET /'s answer: what this gateway is and where to look next. */
export function serviceInfo(config: Config, version: string, historyOn: boolean) {
  return {
    name: 'notification-gateway',
    version,
    role: config.role,
    channels: Object.entries(config.channels).map(([name, channel]) => ({ name, type: channel.type })),
    routes: config.routes?.length ?? 0,
    history: historyOn ? { retention: `${Math.round(config.history.retentionMs / 3600_000)}h`, maxEvents: config.history.maxEvents } : false,
    links: {
      ui: '/ui',
      events: '/events',
      errors: '/errors',
      config: '/config',
      deliveries: '/deliveries/failed',
      health: '/health',
      ready: '/ready',
      metrics: '/metrics',
    },
  };
}
