// Prometheus metrics. One registry per hub instance (tests build many apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const httpSeconds = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'hub_jobs_total',
    help: 'Job runs by queue and outcome',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'hub_job_duration_seconds',
    help: 'Job run duration by queue and outcome',
    labelNames: ['queue', 'state'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  const outbound = new Counter({
    name: 'hub_outbound_requests_total',
    help: 'Outbound partner calls by partner and status (status "error" = no response)',
    labelNames: ['partner', 'status'] as const,
    registers: [registry],
  });
  const outboundSeconds = new Histogram({
    name: 'hub_outbound_request_duration_seconds',
    help: 'Outbound partner call duration',
    labelNames: ['partner'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'hub_alerts_total',
    help: 'Conditions an operator should look at (partner blocks, suspicious API key use, re-authorisation needed)',
    labelNames: ['kind', 'partner'] as const,
    registers: [registry],
  });
  const inbox = new Counter({
    name: 'hub_inbox_messages_total',
    help: 'Inbound webhooks by source and outcome (stored, duplicate)',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const inboxGroup = new Histogram({
    name: 'hub_inbox_commit_group_size',
    help: 'Webhooks committed together in one inbox transaction (group commit); _count is the number of transactions',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [registry],
  });
  const rateLimitDegraded = new Gauge({
    name: 'hub_ratelimit_degraded',
    help: 'Whether the shared rate-limit store is unreachable and limits are kept per process (1) or shared (0)',
    labelNames: ['store'] as const,
    registers: [registry],
  });
  const rateLimitFallback = new Counter({
    name: 'hub_ratelimit_fallback_checks_total',
    help: 'Rate-limit checks and reservations answered by the per-process fallback while the shared store was unreachable',
    labelNames: ['store'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpSeconds,
    jobRuns,
    jobSeconds,
    outbound,
    outboundSeconds,
    alerts,
    inbox,
    inboxGroup,
    rateLimitDegraded,
    rateLimitFallback,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
