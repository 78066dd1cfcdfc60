import type { MetricFamily } from './prometheus-text.js';

/**
 * The process's own basics, read at scrape time (nothing runs between scrapes). The names are
 * the ones Prometheus client libraries use (`process_*` from the exposition guidelines, the
 * `nodejs_*` of prom-client's defaults), so existing dashboards and alerts find them.
 */
export function readProcessMetrics(): MetricFamily[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const userSeconds = cpu.user / 1e6;
  const systemSeconds = cpu.system / 1e6;
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    samples: [{ value }],
  });
  const counter = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'counter',
    samples: [{ value }],
  });
  return [
    counter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', userSeconds),
    counter(
      'process_cpu_system_seconds_total',
      'System CPU time spent, in seconds.',
      systemSeconds,
    ),
    counter(
      'process_cpu_seconds_total',
      'User and system CPU time spent, in seconds.',
      userSeconds + systemSeconds,
    ),
    gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', memory.rss),
    gauge(
      'process_start_time_seconds',
      'When the process started, in seconds since the Unix epoch.',
      Math.round(Date.now() / 1000 - process.uptime()),
    ),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', memory.heapTotal),
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', memory.heapUsed),
    gauge(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript objects, in bytes.',
      memory.external,
    ),
    {
      name: 'nodejs_version_info',
      help: 'The Node.js version running the collector.',
      type: 'gauge',
      samples: [{ labels: { version: process.version }, value: 1 }],
    },
  ];
}
