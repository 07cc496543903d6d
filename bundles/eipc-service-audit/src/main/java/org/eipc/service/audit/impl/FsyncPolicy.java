package org.eipc.service.audit.impl;

import java.util.Locale;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/** When the writer forces the file to the disk. */
enum FsyncPolicy {
    NEVER, BATCH, ALWAYS;

    /**
     * @throws IpcException {@link ErrorCode#CONFIG_INVALID} for an unknown name
     */
    static FsyncPolicy of(final String name) {
        for (FsyncPolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
                return p;
            }
        }
        throw new IpcException(ErrorCode.CONFIG_INVALID, "fsync=" + name + " is not one of never, batch, always");
    }
}
