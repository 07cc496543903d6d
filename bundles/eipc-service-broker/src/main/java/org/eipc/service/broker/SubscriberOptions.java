package org.eipc.service.broker;

import java.util.Optional;
import java.util.OptionalInt;

import org.eipc.api.ErrorCode;
import org.eipc.api.IpcException;

/**
 * How one subscription is served: its queue depth and its {@link OverflowPolicy}. A value left unset takes the
 * broker's configured default ({@code queueDepth}, {@code overflow}). Immutable and thread-safe.
 *
 * <pre>
 * SubscriberOptions o = SubscriberOptions.builder().queueDepth(64).overflow(OverflowPolicy.DROP_NEWEST).build();
 * </pre>
 */
public final class SubscriberOptions {
    private static final SubscriberOptions DEFAULTS = new SubscriberOptions(0, null);

    private final int queueDepth;
    private final OverflowPolicy overflow;

    private SubscriberOptions(final int queueDepth, final OverflowPolicy overflow) {
        this.queueDepth = queueDepth;
        this.overflow = overflow;
    }

    /** Everything from the broker's configuration. */
    public static SubscriberOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The queue depth asked for, or empty for the broker's default. */
    public OptionalInt queueDepth() {
        return queueDepth == 0 ? OptionalInt.empty() : OptionalInt.of(queueDepth);
    }

    /** The overflow policy asked for, or empty for the broker's default. */
    public Optional<OverflowPolicy> overflow() {
        return Optional.ofNullable(overflow);
    }

    @Override
    public String toString() {
        return "SubscriberOptions[queueDepth=" + (queueDepth == 0 ? "default" : queueDepth) + ", overflow="
                + (overflow == null ? "default" : overflow.wireName()) + "]";
    }

    /** Collects values. Not thread-safe. */
    public static final class Builder {
        private int queueDepth;
        private OverflowPolicy overflow;

        private Builder() {
        }

        /**
         * Messages that may wait for this subscriber; the broker refuses depths above its {@code maxQueueDepth}.
         *
         * @throws IpcException {@link ErrorCode#CONFIG_INVALID} when {@code depth < 1}
         */
        public Builder queueDepth(final int depth) {
            if (depth < 1) {
                throw new IpcException(ErrorCode.CONFIG_INVALID, "queueDepth=" + depth + " is below 1");
            }
            this.queueDepth = depth;
            return this;
        }

        /** The policy when the queue is full; {@code null} for the broker's default. */
        public Builder overflow(final OverflowPolicy policy) {
            this.overflow = policy;
            return this;
        }

        public SubscriberOptions build() {
            return new SubscriberOptions(queueDepth, overflow);
        }
    }
}
