// OpenTelemetry traces, as a thin adapter. Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then the
// @opentelemetry/api calls below stay the API's no-op tracer and no trace context is stored. On,
// a few spans are made by hand at the points an operator follows a trigger through (HTTP trigger,
// phase attempt, Amazon call, effect, outbox publish, webhook delivery). The W3C `traceparent`
// travels with the stored phase event, so a worker in another process continues the same trace.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

const tracer = () => trace.getTracer('clario');

export interface SpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  /** A stored W3C traceparent to continue; the active context otherwise. */
  readonly parent?: string | null | undefined;
  /** Other stored traceparents this span also serves (a batch), as links. */
  readonly links?: readonly string[];
}

function spanContextOf(traceParent: string) {
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: traceParent }));
}

/** Runs `fn` in a span that is active for everything `fn` awaits; errors mark it and pass through. */
export function inSpan<T>(name: string, spanOptions: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = spanOptions.parent ? propagation.extract(ROOT_CONTEXT, { traceparent: spanOptions.parent }) : context.active();
  const links = (spanOptions.links ?? []).map(spanContextOf).flatMap((c) => (c ? [{ context: c }] : []));
  const options = { kind: spanOptions.kind ?? SpanKind.INTERNAL, ...(spanOptions.attributes ? { attributes: spanOptions.attributes } : {}), ...(links.length > 0 ? { links } : {}) };
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.name : 'error' });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's W3C traceparent, to store; undefined when tracing is off. */
export function currentTraceParent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** A fetch whose calls are client spans (method and path only: query strings may carry tokens). */
export function tracedFetch(name: string, f: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET');
    return inSpan(`${name} ${method}`, { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'server.address': url.hostname, 'url.path': url.pathname } }, async (span) => {
      const res = await f(input, init);
      span.setAttribute('http.response.status_code', res.status);
      if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return res;
    });
  };
}

export interface Tracing {
  /** Exports what is buffered and stops; the API is back to its no-op tracer afterwards. */
  shutdown(): Promise<void>;
}

/**
 * Registers the SDK when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or an exporter is given, in tests).
 * The OTLP exporter reads the other OTEL_* variables itself (headers, timeout, the traces endpoint).
 */
export async function startTracing(env: Record<string, string | undefined>, options: { exporter?: SpanExporter; serviceName?: string } = {}): Promise<Tracing | undefined> {
  if (!options.exporter && !env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  // Loaded only when on, so a process without tracing never pays for the SDK.
  const [{ NodeTracerProvider }, { BatchSpanProcessor, SimpleSpanProcessor }, { resourceFromAttributes }, { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION }, { VERSION }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
    import('../version.js'),
  ]);
  const exporter = options.exporter ?? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName ?? env.OTEL_SERVICE_NAME ?? 'clario', [ATTR_SERVICE_VERSION]: VERSION }),
    // A test's in-memory exporter sees each span as it ends; the network exporter gets batches.
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
