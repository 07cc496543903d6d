/**
 * Keyring SPI: where long-term keys come from. A keyring names its current sending key and the earlier keys
 * still accepted during their overlap window; the runtime follows changes as they happen.
 */
@Export
@Version("1.0.0")
package org.eipc.spi.keyring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
