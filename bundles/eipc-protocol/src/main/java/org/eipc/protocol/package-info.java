/**
 * The EIPC frame codec, wire compatible with the Go reference: the 16-byte preamble, the Go
 * {@code encoding/json} header, the optional 32-byte MAC and the 4-byte length-prefixed stream framing.
 *
 * <p>Decoding is zero-copy: a {@link org.eipc.protocol.Frame} holds read-only views into the caller's
 * buffer. It is the decoder's reused flyweight, valid until that decoder's next decode; per frame the decoder
 * allocates only the immutable {@link org.eipc.api.Header}. Encoding writes straight into the caller's buffer. {@link org.eipc.protocol.ProtocolMode#STRICT}
 * (the default everywhere) closes the reference's holes (optional MAC, ignored trailing bytes, ignored flag
 * bits); {@link org.eipc.protocol.ProtocolMode#COMPAT} accepts exactly what the reference accepts.
 */
@Export
@Version("1.0.0")
package org.eipc.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
