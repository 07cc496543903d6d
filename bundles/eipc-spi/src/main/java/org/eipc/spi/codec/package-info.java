/** Codec SPI: turns application objects into payload bytes and back, chosen by the header's payload_format. */
@Export
@Version("1.0.0")
package org.eipc.spi.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
