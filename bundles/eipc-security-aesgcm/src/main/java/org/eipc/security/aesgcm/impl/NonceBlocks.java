package org.eipc.security.aesgcm.impl;

import java.security.SecureRandom;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * Hands out 64-bit nonce block ids, each at most once. A block id is the fixed 8-byte field of a nonce; the
 * cipher that holds it counts the last 4 bytes from 0 to 2^32-1 and then takes a new block.
 *
 * <p>Ids are consecutive from a start drawn from {@link SecureRandom}, so the blocks of one instance are
 * distinct by construction (until all 2^64 ids are used, which is refused). The random start is what keeps
 * two <em>different</em> instances (another process holding the same pre-shared key, or this provider after
 * a bundle restart) apart: their runs of ids overlap only if the starts fall within the number of blocks
 * used, a probability of about {@code (used1 + used2) / 2^64}. Thread-safe.
 */
final class NonceBlocks {
    private long next;
    private long issued;

    NonceBlocks() {
        this(new SecureRandom().nextLong());
    }

    /** Starts at {@code start}; tests use it to reach the end of the id space. */
    NonceBlocks(long start) {
        this(start, 0);
    }

    /** Starts at {@code start} as if {@code issued} ids had been handed out (unsigned); for tests. */
    NonceBlocks(long start, long issued) {
        this.next = start;
        this.issued = issued;
    }

    /**
     * A block id never returned before by this instance.
     *
     * @throws IpcException {@link ErrorCode#ILLEGAL_STATE} when all 2^64 ids have been handed out
     */
    synchronized long take() {
        if (issued == -1L) { // 2^64 - 1 ids issued: the one left would be the first again after wrapping
            throw new IpcException(ErrorCode.ILLEGAL_STATE, "nonce block ids exhausted; use a new key");
        }
        issued++;
        return next++;
    }
}
