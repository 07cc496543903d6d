package org.eipc.service.trace.impl;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.eipc.service.trace.record.RecordWriter;
import org.eipc.spi.runtime.MessageContext;

/**
 * One session the recorder follows. The first fields are set when the session is first seen (tap thread) or
 * shared; the file fields belong to the writer thread alone.
 */
final class RecordedSession {
    final String key;
    final MessageContext context;
    final Instant started;
    final long startNanos;
    final AtomicLong dropped = new AtomicLong();
    /**
     * Entries of this session offered to the queue and not written yet: the sweep ends a closing session only when
     * this is 0, or a message offered just before the close event could be found after the file ended.
     */
    final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    volatile boolean closing;

    // writer thread only
    RecordWriter writer;
    String fileName;
    long droppedNoted;
    long lastNanos;
    boolean finished;

    RecordedSession(String key, MessageContext context, Instant started, long startNanos) {
        this.key = key;
        this.context = context;
        this.started = started;
        this.startNanos = startNanos;
    }
}
