/** Prometheus metrics of both commands and the HTTP endpoint that serves them. */
export { clientObserver, registerClientMetrics, type ShipperSource } from "./client-metrics.js";
export { type MetricsServer, type MetricsServerOptions, startMetricsServer } from "./http.js";
export { type DeliveryObserver, registerOutputMetrics } from "./output-metrics.js";
export { createMetricsRegistry, type RegistryOptions } from "./registry.js";
export { kernelDrops, registerServerMetrics, type ServerStatsSource } from "./server-metrics.js";
