export { AllowList, canonicalAddress, type Network, parseNetwork } from "./allow-list.js";
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  type DrainEnd,
  type DrainOptions,
  type DrainResult,
  drainSocket,
} from "./drain.js";
export { FileOutput, openFdOutput, PIPE_BUF, PipeOutput } from "./fd-output.js";
export {
  type KernelDrops,
  type KernelDropsCounter,
  type KernelDropsSource,
  type ProcFiles,
  watchKernelDrops,
} from "./kernel-drops.js";
export {
  DEFAULT_MAX_PENDING_OUTPUT_BYTES,
  type LineStream,
  type OutputOptions,
  OutputWriter,
  type WriteCallback,
} from "./output.js";
export { formatPretty, type PrettyOptions } from "./pretty.js";
export { RateLimiter, type RateLimiterOptions } from "./rate-limit.js";
export {
  type Endpoint,
  formatEndpoint,
  listen,
  type Receiver,
  type ReceiverOptions,
  type RecvBufferReport,
} from "./receiver.js";
export {
  createServer,
  type DatagramEvent,
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_MS,
  type LogServer,
  type OutputFormat,
  type ServerOptions,
} from "./server.js";
export {
  type GateReason,
  SourcePolicy,
  type SourcePolicyOptions,
  type TopSources,
} from "./sources.js";
export {
  Counters,
  formatStatsLine,
  INTERNAL_ERROR,
  SERVER_REJECT_REASONS,
  type SequenceCounters,
  type ServerRejectReason,
  type ServerStats,
  type ServerSummary,
  toSummary,
} from "./stats.js";
