/**
 * Tracing: trace ids carried across hops in the {@code request_id} (W3C {@code traceparent} form, see
 * {@link org.eipc.service.trace.TraceContext}), the {@link org.eipc.service.trace.Tracer} service that starts and
 * forwards traces, and the {@link org.eipc.service.trace.SpanLog} service with the newest spans the span tap saw.
 */
@Export
@Version("1.0.0")
package org.eipc.service.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
