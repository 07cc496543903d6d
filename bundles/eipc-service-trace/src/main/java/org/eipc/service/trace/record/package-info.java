/**
 * Session recordings: the file format that the recorder component ({@code org.eipc.service.trace.recorder}) and
 * {@code eipc record} write and {@code eipc replay} reads, and the comparison of recorded and replayed replies.
 *
 * <p>Format 1: JSON Lines, UTF-8, one object per line, every line ending with a newline.
 * <pre>
 * {"eipc_record":1,"kind":"session","recorder":R,"started":ISO-8601,"endpoint":E,"session_id":S,"side":"server|client|proxy","peer_service_id":P}
 * {"kind":"message","n":1,"flow":"c2s|s2c","t_ns":N,"type":"intent","type_byte":105,
 *  "header":{"service_id":..,"session_id":..,"request_id":..,"sequence":N,"timestamp":..,"priority":N,
 *            "capability":..,"route":..,"payload_format":N},"payload_base64":B}
 * {"kind":"dropped","t_ns":N,"count":N,"total":N}
 * {"kind":"end","t_ns":N,"messages":N,"dropped":N,"reason":R}
 * </pre>
 * <ul>
 * <li>{@code flow}: {@code c2s} from the side that connected to the side that accepted, {@code s2c} back; the same
 * whichever side recorded.</li>
 * <li>{@code t_ns}: nanoseconds since the first recorded message of the session (monotonic clock).</li>
 * <li>{@code header}: exactly as the recording side saw it (inbound: as received; outbound: as stamped for the
 * wire). {@code type_byte} is authoritative, {@code type} is for people.</li>
 * <li>{@code dropped}: the recorder's queue was full and {@code count} messages were not written.</li>
 * <li>{@code end}: the session closed, the recorder stopped or the file reached its size limit ({@code reason}
 * says which). A file without it was cut off (still being written, or the writer died).</li>
 * </ul>
 * Only application messages are recorded (what a {@link org.eipc.spi.runtime.MessageTap} sees): never handshake
 * frames, MACs, nonces, keys or resume secrets. Payloads are recorded as they are, so a recording is as sensitive
 * as the traffic: files are created owner-only.
 */
@Export
@Version("1.0.0")
package org.eipc.service.trace.record;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
