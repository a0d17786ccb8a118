/**
 * The validated, frozen settings of the remote sinks, as the command builds
 * them from flags, environment and the config file.
 */

/** What each entry of a POSTed batch looks like; see docs/outputs.md. */
export type HttpFormat = "json-array" | "ndjson" | "otlp";

export interface HttpSinkOptions {
  /** The spec as given (http:// or https://). */
  readonly url: string;
  /** Default "json-array". */
  readonly format: HttpFormat;
  /** Extra request headers, in order; values already read from their @files. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** One request, connect to last byte of the answer. Default 10,000 ms. */
  readonly timeoutMs: number;
  /** PEM certificates of the authorities an https:// endpoint may be signed by, instead of Node's own; default: Node's own. */
  readonly ca?: string;
}

/** How entries become JetStream messages. */
export type NatsMode = "entry" | "batch";

export interface NatsSinkOptions {
  /** Every host:port of the spec, in order, as nats:// URLs. */
  readonly servers: readonly string[];
  /** Default "LOGS". */
  readonly stream: string;
  /** Create the stream when it is missing. Default true. */
  readonly createStream: boolean;
  /** Replicas of a stream the server creates. Default 1. */
  readonly replicas: number;
  /** Subject template on the entry's fields; default "logs.{service}". */
  readonly subject: string;
  /** One message per entry, or one NDJSON message per protocol message and subject. Default "batch". */
  readonly mode: NatsMode;
  /** One publish, until its acknowledgement. Default 10,000 ms. */
  readonly timeoutMs: number;
  /** At most one of these; read from their files or the environment by the command. */
  readonly credentials?:
    | { readonly kind: "creds"; readonly text: string }
    | { readonly kind: "token"; readonly token: string }
    | { readonly kind: "user"; readonly user: string; readonly pass: string };
}
